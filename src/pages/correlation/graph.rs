//! The cluster's alert-entity graph as SVG: alerts in time order on the left, the entities
//! they name on the right, each entity placed at the mean position of its alerts so that
//! lines cross little. The layout is plain integer arithmetic (the same picture every time,
//! no JavaScript). Selecting a node (click, or Tab to it and Enter/Space) highlights it, its
//! neighbours and their lines; a selected entity offers its pivot.

use leptos::prelude::*;
use vigil_core::correlate::{AlertInfo, EntityRef};
use vigil_core::queue::chips::service_label;

use crate::components::queue::entity_href;

/// Alerts and entities drawn at most (the lists beside the graph have them all).
pub(super) const MAX_ALERTS: usize = 40;
pub(super) const MAX_ENTITIES: usize = 40;
const WIDTH: i64 = 640;
const ROW: i64 = 28;
const TOP: i64 = 20;
const ALERT_X: i64 = 24;
const ENTITY_X: i64 = 400;

/// Where each node goes, in SVG units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Layout {
    /// Per alert (in the order given), its `y`.
    pub alert_y: Vec<i64>,
    /// Per entity (in the order given), its `y`.
    pub entity_y: Vec<i64>,
    pub height: i64,
}

/// Lays out `alerts` alerts (in time order) and `entities` entities joined by `edges`
/// (alert index, entity index): alerts one per row; entities sorted by the mean row of their
/// alerts (ties: the order given, strongest first), then spread over the same height.
pub(super) fn layout(alerts: usize, entities: usize, edges: &[(usize, usize)]) -> Layout {
    let alert_y: Vec<i64> = (0..alerts as i64).map(|i| TOP + i * ROW).collect();
    let mut sum = vec![0i64; entities];
    let mut count = vec![0i64; entities];
    for &(a, e) in edges {
        if a < alerts && e < entities {
            sum[e] += a as i64;
            count[e] += 1;
        }
    }
    // The mean row in thousandths, so the order is exact and the same everywhere.
    let mean = |e: usize| {
        if count[e] == 0 {
            i64::MAX
        } else {
            sum[e] * 1000 / count[e]
        }
    };
    let mut order: Vec<u32> = (0..entities as u32).collect();
    vigil_core::sort::positions(&mut order, &|a, b| {
        mean(a as usize).cmp(&mean(b as usize)).then(a.cmp(&b))
    });
    let rows = alerts.max(entities).max(1) as i64;
    let span = (rows - 1) * ROW;
    let mut entity_y = vec![0i64; entities];
    for (rank, &e) in order.iter().enumerate() {
        entity_y[e as usize] = if entities <= 1 {
            TOP + span / 2
        } else {
            TOP + rank as i64 * span / (entities as i64 - 1)
        };
    }
    Layout {
        alert_y,
        entity_y,
        height: TOP * 2 + span,
    }
}

/// What is selected: an alert or an entity, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Alert(usize),
    Entity(usize),
}

/// A node as drawn.
struct Drawn {
    n: Node,
    x: i64,
    y: i64,
    label: String,
    /// The whole title or label, in the node's `<title>`.
    full: String,
    /// `data-id` (an alert's) or `data-key` (an entity's), the other empty.
    id: String,
    key: String,
    kind: &'static str,
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[component]
pub(super) fn ClusterGraph(
    alerts: Vec<AlertInfo>,
    entities: Vec<EntityRef>,
    /// (alert index, entity index).
    edges: Vec<(usize, usize)>,
    tenant: Option<String>,
) -> impl IntoView {
    let at = layout(alerts.len(), entities.len(), &edges);
    let selected = RwSignal::new(None::<Node>);
    let edges = StoredValue::new(edges);
    let lit = move |n: Node| {
        let Some(s) = selected.get() else {
            return false;
        };
        s == n
            || edges.with_value(|es| {
                es.iter().any(|&(a, e)| {
                    (s, n) == (Node::Alert(a), Node::Entity(e))
                        || (s, n) == (Node::Entity(e), Node::Alert(a))
                })
            })
    };
    let class = move |base: &'static str, n: Node| {
        move || match selected.get() {
            None => base.to_owned(),
            Some(_) if lit(n) => format!("{base} lit"),
            Some(_) => format!("{base} dim"),
        }
    };
    let pick = move |n: Node| selected.update(|s| *s = if *s == Some(n) { None } else { Some(n) });
    let keys = move |n: Node| {
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Enter" || ev.key() == " " {
                ev.prevent_default();
                pick(n);
            }
        }
    };
    let lines = edges.get_value().into_iter().map(|(a, e)| {
        let (y1, y2) = (at.alert_y[a], at.entity_y[e]);
        let cls = move || {
            let on = match selected.get() {
                Some(Node::Alert(x)) => x == a,
                Some(Node::Entity(x)) => x == e,
                None => return "edge".to_owned(),
            };
            if on { "edge lit".to_owned() } else { "edge dim".to_owned() }
        };
        view! { <line x1=(ALERT_X + 8).to_string() y1=y1.to_string() x2=(ENTITY_X - 8).to_string() y2=y2.to_string() class=cls /> }
    }).collect_view();
    // Both kinds of node through one view (each view shape is its own code in the bundle):
    let mut nodes: Vec<Drawn> = Vec::with_capacity(alerts.len() + entities.len());
    for (i, a) in alerts.iter().enumerate() {
        let provider = a.provider.as_ref().map(service_label).unwrap_or_default();
        let label = format!("{} · {}", short(&a.title, 36), short(&provider, 18));
        nodes.push(Drawn {
            n: Node::Alert(i),
            x: ALERT_X,
            y: at.alert_y[i],
            label,
            full: a.title.clone(),
            id: a.id.as_str().to_owned(),
            key: String::new(),
            kind: "alert",
        });
    }
    for (i, e) in entities.iter().enumerate() {
        let label = format!("{} {}", e.kind.name(), short(&e.label, 28));
        nodes.push(Drawn {
            n: Node::Entity(i),
            x: ENTITY_X,
            y: at.entity_y[i],
            label,
            full: e.label.clone(),
            id: String::new(),
            key: e.key.clone(),
            kind: e.kind.name(),
        });
    }
    let nodes = nodes.into_iter().map(|Drawn { n, x, y, label, full, id, key, kind }| {
        let base = if matches!(n, Node::Alert(_)) { "node alert-node" } else { "node entity-node" };
        view! {
            <g class=class(base, n) data-id=id data-key=key data-kind=kind tabindex="0" role="button"
                aria-pressed=move || (selected.get() == Some(n)).to_string()
                on:click=move |_| pick(n) on:keydown=keys(n)>
                <title>{full}</title>
                <circle cx=x.to_string() cy=y.to_string() r="7" />
                <text x=(x + 12).to_string() y=(y + 4).to_string()>{label}</text>
            </g>
        }
    }).collect_view();
    let entities = StoredValue::new(entities);
    view! {
        <svg id="cluster-graph" class="graph" viewBox=format!("0 0 {WIDTH} {}", at.height)
            aria-label="Alerts and the entities they name; select one to highlight its links">
            {lines}
            {nodes}
        </svg>
        <p id="graph-selection" class="muted" role="status">
            {move || match selected.get() {
                None => leptos::either::EitherOf3::A("Select an alert or an entity to highlight its links (Tab, then Enter)."),
                Some(Node::Alert(_)) => leptos::either::EitherOf3::B("The alert's entities are highlighted."),
                Some(Node::Entity(i)) => leptos::either::EitherOf3::C(entities.with_value(|es| {
                    let e = &es[i];
                    view! {
                        "The entity's alerts are highlighted. "
                        <a id="graph-pivot" href=entity_href(&e.key, tenant.as_deref())>{format!("Every alert with {}", e.label)}</a>
                    }
                })),
            }}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_sit_at_their_alerts_mean_row_and_the_layout_is_the_same_every_time() {
        // Entity 0 is named by the last two alerts, entity 1 by the first, entity 2 by all.
        let edges = [(0, 1), (0, 2), (1, 2), (2, 2), (2, 0), (3, 0), (3, 2)];
        let l = layout(4, 3, &edges);
        assert_eq!(l.alert_y, vec![20, 48, 76, 104]);
        // Sorted by mean row: 1 (0.0), 2 (1.5), 0 (2.5); spread over the alerts' span.
        assert!(l.entity_y[1] < l.entity_y[2] && l.entity_y[2] < l.entity_y[0]);
        assert_eq!(l.entity_y[1], 20);
        assert_eq!(l.entity_y[0], 104);
        assert_eq!(l, layout(4, 3, &edges));
        assert_eq!(l.height, 20 * 2 + 3 * 28);
    }

    #[test]
    fn a_lone_entity_is_centred_and_an_unlinked_one_goes_last() {
        let l = layout(3, 1, &[(0, 0)]);
        assert_eq!(l.entity_y, vec![20 + 28]);
        let l = layout(2, 2, &[(1, 1)]);
        assert!(l.entity_y[1] < l.entity_y[0]);
        let empty = layout(0, 0, &[]);
        assert_eq!(empty.height, 40);
    }
}
