//! Tag palettes: a named, standard set of review tags with their hierarchy, kept in the
//! browser, exported as a text file, and applied to a case by creating only the tags it lacks.
//!
//! A palette is written as an outline, the form a person types and reads: a heading line
//! `# Name`, then one tag per line, two spaces (or a tab) of indentation per level under its
//! parent. The browser keeps its palettes in that form, and exports them so: a colleague pastes a
//! palette from the file into the form as it is ([`parse_outline`] takes the heading as the
//! name). Palettes are not read as JSON, so the bundle carries no decoder for them.

use crate::models::{ChildSelectability, ReviewTag};

/// One tag of a palette and the tags under it.
#[derive(Debug, Clone, PartialEq)]
pub struct PaletteTag {
    pub name: String,
    pub children: Vec<PaletteTag>,
}

/// A named tag hierarchy.
#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub name: String,
    pub tags: Vec<PaletteTag>,
}

/// Parses the outline a user types: one tag per line, two spaces (or a tab) of indentation per
/// level under its parent. A `# Name` heading line is not a tag: it names the palette when
/// `name` is blank.
pub fn parse_outline(name: &str, text: &str) -> Result<Palette, String> {
    let heading = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("# "))
        .filter(|_| name.trim().is_empty());
    let name = super::validate::name("palette", heading.unwrap_or(name), 64)?;
    let mut roots: Vec<PaletteTag> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim().starts_with("# ") {
            continue;
        }
        let expanded = line.replace('\t', "  ");
        let indent = expanded.len() - expanded.trim_start().len();
        let level = indent / 2;
        let tag = super::validate::name("tag", expanded.trim(), 64)
            .map_err(|e| format!("Line {}: {e}", n + 1))?;
        let mut list = &mut roots;
        for _ in 0..level {
            list = match list.last_mut() {
                Some(parent) => &mut parent.children,
                None => return Err(format!("Line {}: indented under no tag.", n + 1)),
            };
        }
        if list.iter().any(|t| t.name.eq_ignore_ascii_case(&tag)) {
            return Err(format!("Line {}: \u{201c}{tag}\u{201d} twice.", n + 1));
        }
        list.push(PaletteTag {
            name: tag,
            children: Vec::new(),
        });
    }
    if roots.is_empty() {
        return Err("The palette has no tags.".into());
    }
    Ok(Palette { name, tags: roots })
}

/// The outline form of a palette (what [`parse_outline`] reads).
pub fn to_outline(p: &Palette) -> String {
    fn walk(tags: &[PaletteTag], depth: usize, out: &mut String) {
        for t in tags {
            out.push_str(&"  ".repeat(depth));
            out.push_str(&t.name);
            out.push('\n');
            walk(&t.children, depth + 1, out);
        }
    }
    let mut out = String::new();
    walk(&p.tags, 0, &mut out);
    out
}

/// Palettes as a file: each as its heading and its outline, a blank line between them.
pub fn to_file(palettes: &[Palette]) -> String {
    let blocks: Vec<String> = palettes
        .iter()
        .map(|p| format!("# {}\n{}", p.name, to_outline(p)))
        .collect();
    blocks.join("\n")
}

/// The palettes of a file written by [`to_file`] (a block that no longer reads as a palette is
/// left out).
pub fn from_file(text: &str) -> Vec<Palette> {
    let mut blocks: Vec<String> = Vec::new();
    for line in text.lines() {
        match blocks.last_mut() {
            Some(b) if !line.trim_start().starts_with("# ") => {
                b.push_str(line);
                b.push('\n');
            }
            _ => blocks.push(format!("{line}\n")),
        }
    }
    blocks
        .iter()
        .filter_map(|b| parse_outline("", b).ok())
        .collect()
}

/// One step of applying a palette: a tag by its path from the top.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Names from the top-level tag down to this one.
    pub path: Vec<String>,
    /// The case's tag of that path, when it has one already.
    pub existing: Option<String>,
    /// Whether the tag has children in the palette (created so that several may be chosen).
    pub has_children: bool,
}

impl Step {
    pub fn name(&self) -> &str {
        self.path.last().map(String::as_str).unwrap_or_default()
    }
    pub fn label(&self) -> String {
        self.path.join(" › ")
    }
    /// How children under a created tag may be chosen.
    pub fn selectability(&self) -> Option<ChildSelectability> {
        self.has_children.then_some(ChildSelectability::Many)
    }
}

/// The steps to apply `palette` to a case whose tags are `existing` (as a tree, `asHierarchy`),
/// parents before children. Names match case-insensitively under the same parent.
pub fn plan(palette: &Palette, existing: &[ReviewTag]) -> Vec<Step> {
    fn walk(tags: &[PaletteTag], have: Option<&[ReviewTag]>, path: &[String], out: &mut Vec<Step>) {
        for t in tags {
            let found = have.and_then(|h| {
                h.iter().find(|e| {
                    e.display_name
                        .as_deref()
                        .is_some_and(|n| n.trim().eq_ignore_ascii_case(&t.name))
                })
            });
            let mut p = path.to_vec();
            p.push(t.name.clone());
            out.push(Step {
                path: p.clone(),
                existing: found.map(|f| f.id.clone()),
                has_children: !t.children.is_empty(),
            });
            walk(&t.children, found.map(|f| f.child_tags.as_slice()), &p, out);
        }
    }
    let mut out = Vec::new();
    walk(&palette.tags, Some(existing), &[], &mut out);
    out
}

/// The steps' parent: the index of the step one level up, if any.
pub fn parent_of(steps: &[Step], i: usize) -> Option<usize> {
    let want = &steps[i].path[..steps[i].path.len().saturating_sub(1)];
    if want.is_empty() {
        return None;
    }
    (0..i).rev().find(|&j| steps[j].path == want)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(id: &str, name: &str, kids: Vec<ReviewTag>) -> ReviewTag {
        ReviewTag {
            id: id.into(),
            display_name: Some(name.into()),
            child_tags: kids,
            ..Default::default()
        }
    }

    #[test]
    fn outline_round_trip_and_errors() {
        let text = "Responsive\n  Hot\n  Privileged\n\t  Attorney-client\nNot responsive\n";
        let p = parse_outline("Litigation standard", text).unwrap();
        assert_eq!(p.tags.len(), 2);
        assert_eq!(p.tags[0].children.len(), 2);
        assert_eq!(p.tags[0].children[1].children[0].name, "Attorney-client");
        assert_eq!(
            parse_outline("Litigation standard", &to_outline(&p)).unwrap(),
            p
        );
        assert!(
            parse_outline("x", "  Orphan")
                .unwrap_err()
                .contains("Line 1")
        );
        assert!(parse_outline("x", "A\nB\na").unwrap_err().contains("twice"));
        assert!(parse_outline("x", "\n \n").is_err());
        assert!(parse_outline("", "A").is_err());
    }

    #[test]
    fn a_heading_names_the_palette_and_a_file_holds_several() {
        // Pasted from an exported file: the heading is the name, unless one was typed.
        let pasted = "# Litigation standard\nResponsive\n  Hot\n";
        let p = parse_outline("", pasted).unwrap();
        assert_eq!(p.name, "Litigation standard");
        assert_eq!(p.tags[0].children[0].name, "Hot");
        assert_eq!(parse_outline("Mine", pasted).unwrap().name, "Mine");
        assert_eq!(parse_outline("Mine", pasted).unwrap().tags, p.tags);
        assert!(
            parse_outline("", "Responsive").is_err(),
            "no name, no heading"
        );
        let other = parse_outline(
            "Second request",
            "Privileged\n  Attorney-client\n  Work product",
        )
        .unwrap();
        let file = to_file(&[p.clone(), other.clone()]);
        assert_eq!(
            file,
            "# Litigation standard\nResponsive\n  Hot\n\n# Second request\nPrivileged\n  Attorney-client\n  Work product\n"
        );
        assert_eq!(from_file(&file), [p.clone(), other]);
        assert_eq!(from_file(""), []);
        // A block that does not read (a tag indented under nothing) is left out, not the rest.
        assert_eq!(
            from_file("# Broken\n  Orphan\n# Litigation standard\nResponsive\n  Hot"),
            [p]
        );
    }

    #[test]
    fn plan_creates_only_what_the_case_lacks() {
        let p = parse_outline("P", "Responsive\n  Hot\n  Privileged\nNot responsive").unwrap();
        let have = [tag("t1", "responsive", vec![tag("t2", "Hot", vec![])])];
        let steps = plan(&p, &have);
        let view: Vec<(String, Option<&str>)> = steps
            .iter()
            .map(|s| (s.label(), s.existing.as_deref()))
            .collect();
        assert_eq!(
            view,
            [
                ("Responsive".to_owned(), Some("t1")),
                ("Responsive › Hot".to_owned(), Some("t2")),
                ("Responsive › Privileged".to_owned(), None),
                ("Not responsive".to_owned(), None),
            ]
        );
        assert_eq!(parent_of(&steps, 2), Some(0));
        assert_eq!(parent_of(&steps, 3), None);
        assert_eq!(steps[0].selectability(), Some(ChildSelectability::Many));
        // A tag of the same name elsewhere in the tree is not a match.
        let elsewhere = [tag("x", "Other", vec![tag("y", "Hot", vec![])])];
        assert!(plan(&p, &elsewhere).iter().all(|s| s.existing.is_none()));
    }
}
