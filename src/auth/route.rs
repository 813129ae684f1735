//! Where the app may send the browser after sign-in: only same-origin relative routes.

/// The route to return to after sign-in, or `/` when `candidate` could leave the origin or is
/// not a plain app route.
///
/// Accepted: a path starting with exactly one `/` (so `//evil.example` and `/\evil.example`,
/// which browsers read as another host, are refused), with no control characters and no
/// backslash, of sane length, and not the callback route itself (that would loop).
pub fn safe_return_route(candidate: &str) -> String {
    let ok = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && candidate.len() <= 2048
        && !candidate.contains('\\')
        && !candidate
            .chars()
            .any(|c| c.is_control() || c.is_whitespace())
        && !is_callback(candidate);
    if ok {
        candidate.to_string()
    } else {
        "/".to_string()
    }
}

fn is_callback(route: &str) -> bool {
    let path = route.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/')
        .eq_ignore_ascii_case(super::CALLBACK_PATH)
}

#[cfg(test)]
mod tests {
    use super::safe_return_route;

    #[test]
    fn keeps_same_origin_routes_with_query_and_fragment() {
        for r in [
            "/",
            "/incidents?x=1",
            "/alerts?filter=severity%20eq%20'high'#top",
            "/threats/hunting",
        ] {
            assert_eq!(safe_return_route(r), r);
        }
    }

    #[test]
    fn refuses_anything_that_could_leave_the_origin() {
        for r in [
            "",
            "incidents",
            "//evil.example/x",
            "/\\evil.example",
            "/ok\\..\\x",
            "https://evil.example/",
            "javascript:alert(1)",
            "/a\nb",
            "/a b",
            "/auth/callback?code=1",
            "/auth/callback/",
            " /incidents",
        ] {
            assert_eq!(safe_return_route(r), "/", "{r:?}");
        }
        assert_eq!(safe_return_route(&format!("/{}", "a".repeat(3000))), "/");
    }
}
