//! Tag palettes: a named tag hierarchy a legal team uses in every case, kept in this browser,
//! exported as a text file (each palette an outline a colleague can paste into the form), and
//! applied to a case in one action that creates only the tags the case lacks
//! (`vigil_core::ediscovery::palette` plans it), one request per tag in the tenant's lane, and
//! says what it did.

use leptos::prelude::*;
use vigil_core::ediscovery::palette::{
    Palette, from_file, parent_of, parse_outline, plan, to_file,
};

use super::at::At;
use super::desk::{Got, Key};
use super::form::{Field, Kind, form, send};
use crate::browser::download;
use crate::components::dom::{H, el, live};

/// Where the palettes are kept, as the file they are exported to
/// (`vigil_core::ediscovery::palette::to_file`).
const KEY: &str = "vigil.tagPalettes";

/// The palettes kept in this browser, in the order they were first kept.
fn kept() -> Vec<Palette> {
    from_file(&crate::prefs::read(KEY).unwrap_or_default())
}

/// Keeps `p`, in place of a palette of the same name.
fn keep(p: &Palette) {
    let mut all = kept();
    match all
        .iter_mut()
        .find(|k| k.name.eq_ignore_ascii_case(&p.name))
    {
        Some(k) => *k = p.clone(),
        None => all.push(p.clone()),
    }
    crate::prefs::write(KEY, &to_file(&all));
}

/// The form that applies a palette, and the export of those kept.
pub(super) fn section(at: &At) -> AnyView {
    let fields = || {
        let mut choices = vec![(String::new(), "The one typed below".to_owned())];
        choices.extend(kept().into_iter().map(|p| (p.name.clone(), p.name)));
        vec![
            Field {
                id: "pick",
                label: "Palette",
                kind: Kind::Pick(choices),
            },
            Field {
                id: "name",
                label: "Name (kept in this browser under it)",
                kind: Kind::Line,
            },
            Field {
                id: "tags",
                label: "Tags, one per line, two spaces deeper under their parent (or a palette pasted from an export)",
                kind: Kind::Lines,
            },
        ]
    };
    let apply = form(
        at,
        "palette",
        "Apply a tag palette",
        "Apply palette",
        fields,
        send(|at: At, typed| async move {
            let [pick, name, outline] = &typed.get_value()[..] else {
                return Err("The form is incomplete.".into());
            };
            let palette = if pick.is_empty() {
                let p = parse_outline(name, outline)?;
                keep(&p);
                p
            } else {
                kept()
                    .into_iter()
                    .find(|p| p.name == *pick)
                    .ok_or("That palette is no longer kept in this browser.")?
            };
            let key = Key::Tags(at.case.clone());
            let steps = {
                let got = at.read_before(key.clone(), "the tags")?;
                let Got::Tags(have) = got.as_ref() else {
                    return Err("The tags are not read yet.".into());
                };
                plan(&palette, have)
            };
            let there = steps.iter().filter(|s| s.existing.is_some()).count();
            let client = at.client()?;
            // Each step's tag id, created or already there: a child goes under it.
            let mut ids: Vec<Option<String>> = Vec::with_capacity(steps.len());
            let mut made = Vec::new();
            for (i, step) in steps.iter().enumerate() {
                if step.existing.is_some() {
                    ids.push(step.existing.clone());
                    continue;
                }
                let parent = parent_of(&steps, i).and_then(|p| ids[p].as_deref());
                at.desk.turn(&at.tenant).await;
                match client
                    .create_tag_under(&at.id(), step.name(), parent, step.selectability())
                    .await
                {
                    Ok(tag) => {
                        ids.push(Some(tag.id));
                        made.push(step.label());
                    }
                    Err(e) => {
                        at.read_again(key);
                        let why = at.auth.explain(&e);
                        let done = if made.is_empty() {
                            String::new()
                        } else {
                            format!("Created {}. ", made.join(", "))
                        };
                        return Err(format!(
                            "{done}\u{201c}{}\u{201d} was not created: {why} Apply the palette again to create the rest.",
                            step.label()
                        ));
                    }
                }
            }
            at.read_again(key);
            let made = if made.is_empty() {
                "No tag was missing".to_owned()
            } else {
                format!("Created {}", made.join(", "))
            };
            Ok(format!(
                "\u{201c}{}\u{201d}: {made}; {there} already in the case.",
                palette.name
            ))
        }),
    );
    (apply, live(export)).into_any()
}

/// "Export": every kept palette in one text file, and what came of it beside the button.
fn export() -> H {
    el("p")
        .child(
            el("button")
                .id("palette-export")
                .t("Export kept palettes")
                .click(|| {
                    let all = kept();
                    let said = if all.is_empty() {
                        "No palette is kept in this browser yet.".to_owned()
                    } else {
                        match download("tag-palettes.txt", "text/plain", &to_file(&all)) {
                            Ok(()) if all.len() == 1 => "Exported 1 palette.".to_owned(),
                            Ok(()) => format!("Exported {} palettes.", all.len()),
                            Err(e) => format!("Export failed: {e}"),
                        }
                    };
                    if let Some(out) = document().get_element_by_id("palette-export-said") {
                        out.set_text_content(Some(&said));
                    }
                }),
        )
        .t(" ")
        .child(el("span").id("palette-export-said").attr("role", "status"))
}
