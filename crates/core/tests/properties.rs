//! Property tests: the decoders never panic (arbitrary bytes, mutated example bodies) and the
//! filter builder escapes any string so it parses back to the same value.

use proptest::prelude::*;
use vigil_core::decode::decode;
use vigil_core::fields::alerts;
use vigil_core::models::*;
use vigil_core::odata::{Query, parse_string_literal, percent_decode, write_string_literal};

fn decode_all(bytes: &[u8]) {
    // Results are irrelevant; only a panic fails the property.
    let _ = decode::<ODataPage<Alert>>(bytes);
    let _ = decode::<Alert>(bytes);
    let _ = decode::<Incident>(bytes);
    let _ = decode::<CaseOperation>(bytes);
    let _ = decode::<ODataPage<DataSource>>(bytes);
    let _ = decode::<SecureScoreControlProfile>(bytes);
    let _ = decode::<ThreatSubmission>(bytes);
    let _ = decode::<HuntingQueryResults>(bytes);
    let _ = decode::<vigil_core::error::GraphErrorBody>(bytes);
}

fn example_bodies() -> Vec<Vec<u8>> {
    let dir = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../../../shared/graph-examples");
    let mut out = Vec::new();
    for f in [
        "v1.0/security-alert/security-alert-get.json",
        "v1.0/security-alert/security-list-alerts_v2.json",
        "v1.0/security-incident/security-list-incidents-2.json",
        "v1.0/security-caseoperation/security-caseoperation-get.json",
        "v1.0/securescorecontrolprofile/security-list-securescorecontrolprofiles.json",
    ] {
        out.push(
            std::fs::read(dir.join(f))
                .unwrap_or_else(|e| panic!("{f}: {e} (graph examples missing?)")),
        );
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decoders_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        decode_all(&bytes);
    }

    #[test]
    fn decoders_never_panic_on_mutated_examples(
        which in 0usize..5,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let mut body = example_bodies().swap_remove(which);
        for (idx, byte, op) in edits {
            if body.is_empty() { break; }
            let i = idx.index(body.len());
            match op {
                0 => body[i] = byte,
                1 => { body.remove(i); }
                _ => body.truncate(i),
            }
        }
        decode_all(&body);
    }

    #[test]
    fn json_value_shapes_never_panic(v in arb_json()) {
        let bytes = serde_json::to_vec(&serde_json::json!({"value": [v.clone()], "evidence": [v.clone()], "status": v})).unwrap();
        decode_all(&bytes);
    }

    #[test]
    fn string_literals_round_trip(s in any::<String>()) {
        let mut lit = String::new();
        write_string_literal(&s, &mut lit);
        prop_assert_eq!(parse_string_literal(&lit), Some(s.clone()));
        // Through a whole filter and the query string too.
        let q = Query::new().filter(alerts::ASSIGNED_TO.eq(&s)).to_query_string();
        let value = q.strip_prefix("?$filter=").unwrap();
        prop_assert!(!value.contains(['&', '#', ' ', '+']));
        let decoded = percent_decode(value).unwrap();
        let lit = decoded.strip_prefix("assignedTo eq ").unwrap();
        prop_assert_eq!(parse_string_literal(lit), Some(s));
    }

    #[test]
    fn dates_round_trip(secs in -62_135_596_800i64..253_402_300_799i64, nanos in 0u32..1_000_000_000) {
        let d = DateTime::from_unix(secs);
        prop_assert_eq!(DateTime::parse(&d.to_rfc3339()), Some(d));
        let text = format!("{}.{:09}Z", d.to_rfc3339().trim_end_matches('Z'), nanos);
        let p = DateTime::parse(&text).unwrap();
        prop_assert_eq!((p.unix_seconds(), p.nanos()), (secs, nanos));
    }

    #[test]
    fn date_parser_never_panics(s in ".{0,40}") {
        let _ = DateTime::parse(&s);
    }
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-zA-Z#.@]{0,30}".prop_map(Value::String),
        Just(Value::String(
            "#microsoft.graph.security.fileEvidence".into()
        )),
        Just(Value::String("0001-01-01T00:00:00Z".into())),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("@odata.type".to_owned()),
                    Just("id".to_owned()),
                    Just("status".to_owned()),
                    Just("fileDetails".to_owned()),
                    "[a-z]{1,8}"
                ],
                inner,
                0..5
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
