//! The hubs left out of linking (entities in too many alerts), each with its share and a way
//! to put it back.

use leptos::prelude::*;

use super::C;

#[component]
pub(super) fn Hubs(c: C) -> impl IntoView {
    view! {
        <section id="correlation-hubs-list" class="card wide" aria-labelledby="hubs-title">
            <h2 id="hubs-title">"Left out as noise"</h2>
            <p class="muted">"Entities in so many alerts that a link through them says nothing (a domain controller, a proxy, a scanner). Put one back to link through it."</p>
            <ul class="hubs">
                {move || c.computed.get().map(|comp| comp.hubs.iter().map(|h| {
                    let key = h.entity.key.clone();
                    let included = h.included;
                    let share = format!("{} alerts, {} % of the tenant's", h.alerts, h.percent());
                    let data_key = key.clone();
                    view! {
                        <li class="hub" data-key=data_key data-included=included.to_string()>
                            <span class="hub-kind">{h.entity.kind.name()}</span> " "
                            <strong class="hub-label">{h.entity.label.clone()}</strong> " "
                            <span class="muted">{share}</span> " "
                            <button class="hub-toggle" on:click=move |_| c.go(&c.view.get_untracked().toggled_hub(&key))>
                                {if included { "Leave out again" } else { "Include anyway" }}
                            </button>
                        </li>
                    }
                }).collect_view())}
            </ul>
        </section>
    }
}
