//! Browser tests: run in headless Chromium by wasm-bindgen-test (`cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

async fn sleep(dur: Duration) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let cb = Closure::once_into_js(move || resolve.call0(&wasm_bindgen::JsValue::NULL));
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                cb.unchecked_ref(),
                dur.as_millis() as i32,
            );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits up to five seconds for an element to appear.
async fn wait_for(selector: &str) -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    for _ in 0..100 {
        leptos::task::tick().await;
        if let Ok(Some(el)) = document.query_selector(selector) {
            return el;
        }
        sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{selector} did not appear; body: {}",
        document.body().unwrap().inner_html()
    );
}

fn fresh_container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

#[wasm_bindgen_test]
async fn missing_config_shows_the_setup_page_not_a_panic() {
    // The test runner's server has no /config.json, as a careless deployment would not.
    let _app = leptos::mount::mount_to(fresh_container(), vigil::App);
    let setup = wait_for("#setup").await;
    let text = setup.text_content().unwrap_or_default();
    assert!(text.contains("Vigil needs to be configured"), "{text}");
    assert!(text.contains("HTTP 404"), "{text}");
}

#[wasm_bindgen_test]
async fn theme_choice_applies_to_the_page_and_persists() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("vigil.theme").unwrap();
    let theme = RwSignal::new(None);
    let _view = leptos::mount::mount_to(fresh_container(), move || {
        theme.set(Some(vigil::prefs::Prefs::install().theme));
    });
    leptos::task::tick().await;
    let root = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("system"));
    theme
        .get_untracked()
        .unwrap()
        .set(vigil::prefs::Theme::Dark);
    leptos::task::tick().await;
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
    assert_eq!(
        storage.get_item("vigil.theme").unwrap().as_deref(),
        Some("dark")
    );
}

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use vigil::transport::BrowserTransport;
use vigil_core::transport::{HttpRequest, Method, Transport, TransportError};

fn get(url: &str) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url: url.to_owned(),
        headers: vec![("accept".into(), "application/json".into())],
        body: None,
    }
}

#[wasm_bindgen_test]
async fn browser_transport_returns_a_404_as_a_response_not_an_error() {
    let t = BrowserTransport;
    let resp = t
        .send(get("/vigil-no-such-file?$skiptoken=10"))
        .await
        .expect("an HTTP response");
    assert_eq!(resp.status, 404);
    assert!(
        resp.headers
            .iter()
            .all(|(k, _)| *k == k.to_ascii_lowercase()),
        "{:?}",
        resp.headers
    );
    let a = t.now_ms();
    t.sleep(Duration::from_millis(30)).await;
    assert!(t.now_ms() - a >= 25.0, "sleep waited");
    let r = t.random();
    assert!((0.0..1.0).contains(&r));
}

#[wasm_bindgen_test]
async fn dropping_the_transport_future_aborts_the_fetch() {
    let window = web_sys::window().unwrap();
    let original = js_sys::Reflect::get(&window, &"fetch".into()).unwrap();
    // A fetch that never answers and remembers the request it was given.
    let seen: std::rc::Rc<std::cell::RefCell<Option<web_sys::Request>>> = Default::default();
    let keep = seen.clone();
    let fake = Closure::<dyn FnMut(web_sys::Request) -> js_sys::Promise>::new(
        move |req: web_sys::Request| {
            *keep.borrow_mut() = Some(req);
            js_sys::Promise::new(&mut |_, _| {})
        },
    );
    js_sys::Reflect::set(&window, &"fetch".into(), fake.as_ref()).unwrap();

    let t = BrowserTransport;
    {
        let mut fut = pin!(t.send(get("/slow")));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(matches!(fut.as_mut().poll(&mut cx), Poll::Pending));
        let req = seen.borrow().clone().expect("fetch was called");
        assert!(!req.signal().aborted(), "not aborted while wanted");
    } // dropped here
    let req = seen.borrow().clone().unwrap();
    js_sys::Reflect::set(&window, &"fetch".into(), &original).unwrap();
    assert!(
        req.signal().aborted(),
        "dropping the future aborts the request"
    );

    // A fetch the browser aborts (page unload, stop button) is `Aborted`, not a network error.
    let reject = Closure::<dyn FnMut(web_sys::Request) -> js_sys::Promise>::new(|_req| {
        let e = web_sys::DomException::new_with_message_and_name("stopped", "AbortError").unwrap();
        js_sys::Promise::reject(&e)
    });
    js_sys::Reflect::set(&window, &"fetch".into(), reject.as_ref()).unwrap();
    let r = t.send(get("/aborted")).await;
    js_sys::Reflect::set(&window, &"fetch".into(), &original).unwrap();
    assert_eq!(r, Err(TransportError::Aborted));
}

/// The typed client pages through the emulator's alerts over the browser's fetch, across
/// origins (CORS) and with a bearer token. `cargo xtask test` starts the emulator with
/// `--test-token` and passes its Graph URL and token in at compile time.
#[wasm_bindgen_test]
async fn the_client_pages_through_the_emulator_over_fetch() {
    let (Some(graph), Some(tenant), Some(token)) = (
        option_env!("VIGIL_TEST_GRAPH_URL"),
        option_env!("VIGIL_TEST_TENANT"),
        option_env!("VIGIL_TEST_TOKEN"),
    ) else {
        panic!(
            "run the browser tests through `cargo xtask test`: it starts the emulator they page through"
        );
    };
    let token: std::rc::Rc<dyn vigil_core::client::TokenProvider> =
        std::rc::Rc::new(vigil_core::client::StaticToken(token.to_string()));
    let client =
        vigil_core::client::GraphClient::new(BrowserTransport, graph, tenant, token).unwrap();
    let mut pages = client.list_alerts(&vigil_core::odata::Query::new().top(250).count(true));
    let mut ids = std::collections::HashSet::new();
    let mut total = None;
    let mut requests = 0;
    while let Some(page) = pages.next().await {
        let page = page.unwrap_or_else(|e| panic!("page {requests}: {}", e.user_message()));
        total = total.or(page.total);
        requests += 1;
        for alert in page.items {
            assert!(ids.insert(alert.id.clone()), "duplicate id {:?}", alert.id);
        }
    }
    let total = total.expect("@odata.count on the first page") as usize;
    assert!(requests > 1, "more than one page ({requests})");
    assert_eq!(
        ids.len(),
        total,
        "every alert once, as many as @odata.count"
    );
}

#[wasm_bindgen_test]
async fn a_resource_keeps_the_newest_fetch_when_an_older_one_answers_last() {
    use std::cell::RefCell;
    use std::rc::Rc;

    /// Polls `done` between ticks for up to five seconds.
    async fn until(what: &str, done: impl Fn() -> bool) {
        for _ in 0..500 {
            leptos::task::tick().await;
            if done() {
                return;
            }
            sleep(Duration::from_millis(10)).await;
        }
        panic!("{what} did not happen");
    }

    let owner = Owner::new();
    owner.set();
    let which = RwSignal::new(1u32);
    // Each fetch waits for a promise the test resolves, in the order the test chooses; a
    // fetch records that it answered before handing its answer to the resource.
    let resolvers: Rc<RefCell<Vec<js_sys::Function>>> = Rc::default();
    let answered: Rc<RefCell<Vec<u32>>> = Rc::default();
    let (pending, done) = (resolvers.clone(), answered.clone());
    let value = vigil::components::resource(move || {
        let n = which.get();
        let promise = js_sys::Promise::new(&mut |resolve, _| pending.borrow_mut().push(resolve));
        let done = done.clone();
        async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            done.borrow_mut().push(n);
            n * 10
        }
    });
    until("the first fetch", || resolvers.borrow().len() == 1).await;
    assert_eq!(
        value.get_untracked(),
        None,
        "nothing before the first answer"
    );
    which.set(2);
    until("the second fetch", || resolvers.borrow().len() == 2).await;
    let resolve = |i: usize| {
        resolvers.borrow()[i]
            .call0(&wasm_bindgen::JsValue::NULL)
            .unwrap()
    };
    resolve(1);
    until("the second answer", || value.get_untracked().is_some()).await;
    assert_eq!(value.get_untracked(), Some(20));
    // The older fetch answers last: its answer is stale and must not replace the newer one.
    resolve(0);
    until("the first answer", || answered.borrow().contains(&1)).await;
    assert_eq!(value.get_untracked(), Some(20));
}
