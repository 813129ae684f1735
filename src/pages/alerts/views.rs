//! Named views: the built-in ones and the analyst's own, kept in this browser
//! (localStorage `vigil.views`: filters only, nothing secret), exported and imported as JSON.

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::queue::{QueueFilter, SavedView};

use super::Q;
use crate::browser::{chosen_file_text, download};
use crate::prefs;

const KEY: &str = "vigil.views";

fn load() -> Vec<SavedView> {
    prefs::read(KEY)
        .and_then(|t| SavedView::from_json(&t).ok())
        .unwrap_or_default()
}

fn store(views: &[SavedView]) {
    prefs::write(KEY, &SavedView::to_json(views));
}

/// `incoming` added to `views`; a view with the same name is replaced. Returns how many came in.
fn merge(views: &mut Vec<SavedView>, incoming: Vec<SavedView>) -> usize {
    let n = incoming.len();
    for v in incoming {
        match views.iter_mut().find(|x| x.name == v.name) {
            Some(x) => *x = v,
            None => views.push(v),
        }
    }
    n
}

#[component]
pub(super) fn SavedViews(q: Q) -> impl IntoView {
    let mine = RwSignal::new(load());
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let update = move |edit: &dyn Fn(&mut Vec<SavedView>)| {
        mine.update(|v| edit(v));
        store(&mine.get_untracked());
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked().trim().to_owned();
        if n.is_empty() {
            message.set(Some("Give the view a name.".into()));
            return;
        }
        let mut f = q.filter.get_untracked();
        f.selected = None;
        let view = SavedView::new(n.clone(), &f);
        update(&|v: &mut Vec<SavedView>| {
            merge(v, vec![view.clone()]);
        });
        name.set(String::new());
        message.set(Some(format!("Saved \u{201c}{n}\u{201d}.")));
    };
    let export = move |_| {
        let text = SavedView::to_json(&mine.get_untracked());
        message.set(Some(
            match download("vigil-views.json", "application/json", &text) {
                Ok(()) => format!("Exported {} views.", mine.with_untracked(Vec::len)),
                Err(e) => format!("Export failed: {e}"),
            },
        ));
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(target) = ev.target() else { return };
        spawn_local(async move {
            let result = chosen_file_text(target)
                .await
                .and_then(|t| SavedView::from_json(&t));
            let _ = message.try_set(Some(match result {
                Ok(views) => {
                    let mut n = 0;
                    mine.update(|v| n = merge(v, views));
                    store(&mine.get_untracked());
                    format!("Imported {n} view{}.", if n == 1 { "" } else { "s" })
                }
                Err(e) => format!("Nothing imported: {e}."),
            }));
        });
    };
    view! {
        <label>"View "
            <select id="saved-views" on:change=move |ev| {
                let v = event_target_value(&ev);
                if !v.is_empty() {
                    q.go(&QueueFilter::from_query_string(&v), false);
                }
            }>
                <option value="">"Saved views…"</option>
                <option value="?">"Default (Defender's)"</option>
                {SavedView::builtin().into_iter().map(|s| view! { <option value=s.query.clone()>{s.name.clone()}</option> }).collect_view()}
                {move || mine.get().into_iter().map(|s| view! { <option value=s.query.clone() class="mine">{s.name.clone()}</option> }).collect_view()}
            </select>
        </label>
        <details id="views-menu" class="menu">
            <summary>"Manage views"</summary>
            <div class="menu-body">
                <form id="save-view" on:submit=save>
                    <input id="view-name" type="text" placeholder="Name this view" prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev)) />
                    <button type="submit">"Save current view"</button>
                </form>
                <ul id="my-views" class="plain-list">
                    {move || mine.get().into_iter().map(|s| {
                        let n = s.name.clone();
                        view! {
                            <li>
                                <span class="view-name">{s.name.clone()}</span>
                                <button class="link delete-view" aria-label=format!("Delete {}", s.name) on:click=move |_| {
                                    let n = n.clone();
                                    update(&move |v: &mut Vec<SavedView>| v.retain(|x| x.name != n));
                                }>"Delete"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <button id="export-views" on:click=export>"Export views (JSON)"</button>
                <label class="file-button">"Import views (JSON) "
                    <input id="import-views" type="file" accept="application/json,.json" on:change=import />
                </label>
                {move || message.get().map(|m| view! { <p id="views-status" class="muted" role="status">{m}</p> })}
            </div>
        </details>
    }
}
