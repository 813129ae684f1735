//! Deterministic fault injection: per route pattern, rates of 429, 503, dropped connections,
//! added latency, truncated and malformed bodies. The draws come from the seed, so a run with
//! the same seed and the same request sequence fails the same way.

use std::sync::Mutex;
use std::time::Duration;

use crate::throttle::parse_duration;
use crate::util::Rng;

/// One `--fault` rule: `PATTERN:429=0.2,503=0.05,drop=0.01,latency=300ms@0.5,truncate=0.01,malformed=0.01`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultRule {
    /// A path pattern with `*` wildcards, matched against the request path (query excluded).
    pub pattern: String,
    pub rate_429: f64,
    pub rate_503: f64,
    pub drop: f64,
    pub latency: Option<(Duration, f64)>,
    pub truncate: f64,
    pub malformed: f64,
}

impl FaultRule {
    pub fn parse(s: &str) -> Result<Self, String> {
        // The pattern may itself hold ':' only in the part before the last one.
        let (pattern, spec) = s
            .rsplit_once(':')
            .ok_or_else(|| format!("fault '{s}' needs PATTERN:SPEC"))?;
        let mut r = FaultRule {
            pattern: pattern.to_string(),
            ..Default::default()
        };
        for item in spec.split(',').filter(|i| !i.trim().is_empty()) {
            let (k, v) = item
                .split_once('=')
                .ok_or_else(|| format!("fault item '{item}' needs '='"))?;
            let rate = |v: &str| -> Result<f64, String> {
                let x: f64 = v.trim().parse().map_err(|_| format!("bad rate '{v}'"))?;
                if (0.0..=1.0).contains(&x) {
                    Ok(x)
                } else {
                    Err(format!("rate '{v}' is not in [0, 1]"))
                }
            };
            match k.trim() {
                "429" => r.rate_429 = rate(v)?,
                "503" => r.rate_503 = rate(v)?,
                "drop" => r.drop = rate(v)?,
                "truncate" => r.truncate = rate(v)?,
                "malformed" => r.malformed = rate(v)?,
                "latency" => {
                    let (d, p) = v.split_once('@').unwrap_or((v, "1"));
                    r.latency = Some((parse_duration(d)?, rate(p)?));
                }
                other => return Err(format!("unknown fault kind '{other}'")),
            }
        }
        Ok(r)
    }

    pub fn matches(&self, path: &str) -> bool {
        glob(self.pattern.as_bytes(), path.as_bytes())
    }
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|i| glob(rest, &s[i..])),
        Some((c, rest)) => s.first() == Some(c) && glob(rest, &s[1..]),
    }
}

/// What to do to one response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    #[default]
    None,
    Status(u16),
    Drop,
    Truncate,
    Malformed,
}

/// The decision for one request: a fault and an extra delay.
#[derive(Debug, Clone, Copy, Default)]
pub struct Decision {
    pub fault: Fault,
    pub delay: Duration,
}

pub struct Faults {
    rules: Vec<FaultRule>,
    rng: Mutex<Rng>,
}

impl Faults {
    pub fn new(rules: Vec<FaultRule>, seed: u64) -> Self {
        Faults {
            rules,
            rng: Mutex::new(Rng::new(seed ^ 0xFA17)),
        }
    }

    pub fn decide(&self, path: &str) -> Decision {
        let mut d = Decision::default();
        let Some(rule) = self.rules.iter().find(|r| r.matches(path)) else {
            return d;
        };
        let Ok(mut rng) = self.rng.lock() else {
            return d;
        };
        if let Some((delay, p)) = rule.latency
            && rng.chance(p)
        {
            d.delay = delay;
        }
        // One draw decides the fault, so the rates add up like a probability table.
        let x = rng.f64();
        let mut acc = 0.0;
        for (rate, fault) in [
            (rule.rate_429, Fault::Status(429)),
            (rule.rate_503, Fault::Status(503)),
            (rule.drop, Fault::Drop),
            (rule.truncate, Fault::Truncate),
            (rule.malformed, Fault::Malformed),
        ] {
            acc += rate;
            if x < acc {
                d.fault = fault;
                break;
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches() {
        let r = FaultRule::parse("/v1.0/security/alerts_v2*:429=0.2,503=0.05,latency=20ms@0.5")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.rate_429, 0.2);
        assert_eq!(r.latency, Some((Duration::from_millis(20), 0.5)));
        assert!(r.matches("/v1.0/security/alerts_v2/abc"));
        assert!(!r.matches("/v1.0/security/incidents"));
        assert!(FaultRule::parse("/x:bogus=1").is_err());
    }

    #[test]
    fn deterministic_rates() {
        let rule = FaultRule::parse("*:429=0.5").unwrap_or_else(|e| panic!("{e}"));
        let a = Faults::new(vec![rule.clone()], 7);
        let b = Faults::new(vec![rule], 7);
        let sa: Vec<_> = (0..200).map(|_| a.decide("/x").fault).collect();
        let sb: Vec<_> = (0..200).map(|_| b.decide("/x").fault).collect();
        assert_eq!(sa, sb);
        let n = sa.iter().filter(|f| **f == Fault::Status(429)).count();
        assert!((60..140).contains(&n), "{n}");
    }
}
