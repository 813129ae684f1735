//! The browser's side of `vigil_core::transport::Transport`: `fetch` with an `AbortController`
//! that is aborted when the future is dropped, `setTimeout` sleeps, `performance.now()` and
//! `Math.random()`. Also [`oauth_http`], the form POST to the token endpoint.
//!
//! Requests are built as `web_sys::Request` directly: gloo-net 0.6's `RequestBuilder` rewrites
//! URLs that already have a query (`…?$skiptoken=10` became `…?$skiptoken=10&`).

use std::future::Future;
use std::time::Duration;

use vigil_core::transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// `Transport` over the browser's `fetch`. Stateless, so it is `Copy`.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserTransport;

impl Transport for BrowserTransport {
    fn send(&self, req: HttpRequest) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        fetch(
            req.method.as_str().to_owned(),
            req.url,
            req.headers,
            req.body,
        )
    }

    fn sleep(&self, dur: Duration) -> impl Future<Output = ()> {
        sleep(dur)
    }

    fn now_ms(&self) -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
            .unwrap_or_else(js_sys::Date::now)
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

/// Aborts the request when dropped before it finished (the caller lost interest).
struct AbortOnDrop {
    controller: Option<web_sys::AbortController>,
}

impl AbortOnDrop {
    fn disarm(&mut self) {
        self.controller = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.controller.take() {
            c.abort();
        }
    }
}

fn describe(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

fn map_error(e: JsValue, aborted: bool) -> TransportError {
    let is_abort = aborted
        || e.dyn_ref::<web_sys::DomException>()
            .is_some_and(|d| d.name() == "AbortError");
    if is_abort {
        TransportError::Aborted
    } else {
        TransportError::Network(describe(&e))
    }
}

/// Sends one request with `fetch` and reads the whole body. Dropping the future aborts it.
pub async fn fetch(
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
) -> Result<HttpResponse, TransportError> {
    let window = web_sys::window().ok_or_else(|| TransportError::Network("no window".into()))?;
    let controller =
        web_sys::AbortController::new().map_err(|e| TransportError::Network(describe(&e)))?;
    let signal = controller.signal();
    let mut guard = AbortOnDrop {
        controller: Some(controller),
    };

    let h = web_sys::Headers::new().map_err(|e| TransportError::Network(describe(&e)))?;
    for (k, v) in &headers {
        h.set(k, v)
            .map_err(|e| TransportError::Network(describe(&e)))?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(&method);
    init.set_headers(&h);
    init.set_signal(Some(&signal));
    // Tokens and Graph data are never cached by the browser.
    init.set_cache(web_sys::RequestCache::NoStore);
    if let Some(body) = body.as_deref().filter(|b| !b.is_empty()) {
        init.set_body(&js_sys::Uint8Array::from(body));
    }
    let request = web_sys::Request::new_with_str_and_init(&url, &init)
        .map_err(|e| TransportError::Network(describe(&e)))?;

    let resp = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|e| map_error(e, signal.aborted()))?;
    let resp: web_sys::Response = resp
        .dyn_into()
        .map_err(|_| TransportError::Network("fetch did not return a Response".into()))?;
    let mut out_headers = Vec::new();
    if let Ok(Some(iter)) = js_sys::try_iter(&resp.headers()) {
        for entry in iter.flatten() {
            let pair = js_sys::Array::from(&entry);
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out_headers.push((k.to_ascii_lowercase(), v));
            }
        }
    }
    let buffer = resp
        .array_buffer()
        .map_err(|e| TransportError::Network(describe(&e)))?;
    let buffer = JsFuture::from(buffer)
        .await
        .map_err(|e| map_error(e, signal.aborted()))?;
    guard.disarm();
    Ok(HttpResponse {
        status: resp.status(),
        headers: out_headers,
        body: js_sys::Uint8Array::new(&buffer).to_vec(),
    })
}

/// Resolves after `dur` (a `setTimeout`).
pub async fn sleep(dur: Duration) {
    let ms = dur.as_millis().min(i32::MAX as u128) as i32;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Runs `fut` for at most `limit`: `None` when the time ran out first (then `fut` is dropped,
/// which aborts a fetch).
pub async fn with_timeout<T>(limit: Duration, fut: impl Future<Output = T>) -> Option<T> {
    let mut fut = std::pin::pin!(fut);
    let mut timer = std::pin::pin!(sleep(limit));
    std::future::poll_fn(|cx| {
        if let std::task::Poll::Ready(v) = fut.as_mut().poll(cx) {
            return std::task::Poll::Ready(Some(v));
        }
        timer.as_mut().poll(cx).map(|()| None)
    })
    .await
}

/// Lets the browser paint and handle input: `scheduler.yield()` where there is one (no
/// timer clamping), else a zero-delay timer.
pub async fn yield_to_browser() {
    let promise = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"scheduler".into()).ok())
        .filter(|s| s.is_object())
        .and_then(|s| {
            let f = js_sys::Reflect::get(&s, &"yield".into()).ok()?;
            let f: js_sys::Function = f.dyn_into().ok()?;
            f.call0(&s).ok()?.dyn_into::<js_sys::Promise>().ok()
        });
    match promise {
        Some(p) => {
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        }
        None => sleep(Duration::ZERO).await,
    }
}

/// Resolves once the browser has painted its next frame: the frame's animation callback
/// resolves a promise, and the turn [`yield_to_browser`] then waits for comes after the paint.
/// Never in a tab in the background, which paints nothing.
pub async fn after_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(&resolve);
        }
    });
    let _ = JsFuture::from(promise).await;
    yield_to_browser().await;
}

/// Resolves once the browser has nothing more urgent to do: a task of background priority
/// (`scheduler.postTask`) where there is a scheduler, else as [`yield_to_browser`].
pub async fn idle_turn() {
    let scheduler = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"scheduler".into()).ok())
        .filter(|s| s.is_object());
    let post = scheduler
        .as_ref()
        .and_then(|s| js_sys::Reflect::get(s, &"postTask".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let (Some(scheduler), Some(post)) = (scheduler, post) else {
        return yield_to_browser().await;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"priority".into(), &"background".into());
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = post.call2(&scheduler, &resolve, &options);
    });
    let _ = JsFuture::from(promise).await;
}

/// The token endpoint call failed before an HTTP response (network, CORS) or was unreadable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError(pub String);

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FetchError {}

/// POSTs a form (`application/x-www-form-urlencoded`) to an OAuth token endpoint over the
/// same `fetch` as Graph calls, asking for JSON. The body holds the code verifier or the
/// refresh token, so it never goes into a URL or a log.
pub async fn oauth_http(url: String, form: String) -> Result<HttpResponse, FetchError> {
    let headers = vec![
        ("accept".to_owned(), "application/json".to_owned()),
        (
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ),
    ];
    fetch(
        Method::Post.as_str().to_owned(),
        url,
        headers,
        Some(form.into_bytes()),
    )
    .await
    .map_err(|e| FetchError(e.to_string()))
}
