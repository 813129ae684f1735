//! The chart for a slide (PNG from the canvas, SVG drawn again by the same code) and its
//! figures as CSV.

use leptos::prelude::*;
use vigil_core::queue::export::csv_field;
use vigil_core::score::tenths;
use wasm_bindgen::JsCast;

use super::chart::Chart;
use super::view::day_text;
use crate::browser::download;

/// The chart's figures: a header, then one row per day; gaps are empty cells.
pub fn csv(c: &Chart) -> String {
    let mut out = String::from("day");
    for col in &c.columns {
        out.push(',');
        out.push_str(&csv_field(&format!(
            "{}{}",
            col.label,
            if col.suffix.is_empty() { "" } else { " (%)" }
        )));
    }
    out.push('\n');
    for (i, d) in c.plot.days.iter().enumerate() {
        out.push_str(&day_text(*d));
        for col in &c.columns {
            out.push(',');
            if let Some(Some(v)) = col.values.get(i) {
                out.push_str(&tenths(*v));
            }
        }
        out.push('\n');
    }
    out
}

/// Offers a `data:` URL (the canvas's PNG) as a download.
fn download_url(name: &str, url: &str) -> Result<(), String> {
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|_| "the browser refused the download".to_owned())?
        .unchecked_into();
    a.set_href(url);
    a.set_download(name);
    a.set_hidden(true);
    if let Some(body) = document().body() {
        let _ = body.append_child(&a);
    }
    a.click();
    a.remove();
    Ok(())
}

#[component]
pub fn Exports(chart: Memo<Option<Chart>>, canvas: NodeRef<leptos::html::Canvas>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let png = move |_| {
        let r = canvas
            .get_untracked()
            .ok_or_else(|| "The chart is not drawn yet.".to_owned())
            .and_then(|c| {
                c.to_data_url()
                    .map_err(|_| "The browser refused to export the chart.".to_owned())
            })
            .and_then(|url| download_url("vigil-secure-score.png", &url));
        error.set(r.err());
    };
    let vector = move |_| {
        let r = chart.with_untracked(|c| match (c, canvas.get_untracked()) {
            (Some(c), Some(el)) => {
                crate::components::chart::backend::svg(&c.plot, el.width(), el.height())
                    .and_then(|doc| download("vigil-secure-score.svg", "image/svg+xml", &doc))
            }
            _ => Err("The chart is not drawn yet.".to_owned()),
        });
        error.set(r.err());
    };
    let data = move |_| {
        let r = chart.with_untracked(|c| match c {
            Some(c) => download("vigil-secure-score.csv", "text/csv", &csv(c)),
            None => Err("Nothing to export yet.".to_owned()),
        });
        error.set(r.err());
    };
    view! {
        <p class="exports">
            "Export: "
            <button class="link" id="export-png" on:click=png>"Chart (PNG)"</button>
            " · "
            <button class="link" id="export-svg" on:click=vector>"Chart (SVG)"</button>
            " · "
            <button class="link" id="export-csv" on:click=data>"Figures (CSV)"</button>
            {move || error.get().map(|e| view! { " " <span class="error" role="alert">{e}</span> })}
        </p>
    }
}
