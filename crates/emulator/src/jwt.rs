//! HS256 JSON Web Tokens signed with a per-process key: enough to make forged and tampered
//! tokens fail exactly as they would against the real service.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why a token was refused. The message is for developers, as in Graph's own error text.
#[derive(Debug, PartialEq, Eq)]
pub enum JwtError {
    Malformed,
    BadSignature,
    Expired,
}

impl std::fmt::Display for JwtError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            JwtError::Malformed => "IDX14100: JWT is not well formed.",
            JwtError::BadSignature => "IDX10511: Signature validation failed.",
            JwtError::Expired => "Lifetime validation failed. The token is expired.",
        })
    }
}

pub fn sign(key: &[u8], claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"HS256","kid":"vigil-emulator"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signing_input = format!("{header}.{payload}");
    let sig = mac(key, signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

fn mac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut m = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

/// Checks signature and lifetime; returns the claims.
pub fn verify(key: &[u8], token: &str, now_secs: i64) -> Result<Map<String, Value>, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let sig = URL_SAFE_NO_PAD.decode(s).map_err(|_| JwtError::Malformed)?;
    let mut m = <HmacSha256 as Mac>::new_from_slice(key).map_err(|_| JwtError::Malformed)?;
    m.update(format!("{h}.{p}").as_bytes());
    m.verify_slice(&sig).map_err(|_| JwtError::BadSignature)?;
    let payload = URL_SAFE_NO_PAD.decode(p).map_err(|_| JwtError::Malformed)?;
    let claims: Map<String, Value> =
        serde_json::from_slice(&payload).map_err(|_| JwtError::Malformed)?;
    check_lifetime(&claims, now_secs)?;
    Ok(claims)
}

/// The lifetime part of `verify`, for claims whose signature was already checked: what `verify`
/// would answer for the same token at `now_secs`.
pub fn check_lifetime(claims: &Map<String, Value>, now_secs: i64) -> Result<(), JwtError> {
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or(JwtError::Malformed)?;
    if exp <= now_secs {
        return Err(JwtError::Expired);
    }
    Ok(())
}

/// An unsigned view of the claims, for tests and logs.
pub fn peek(token: &str) -> Option<Value> {
    let p = token.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sign_verify_and_tamper() {
        let key = b"k";
        let t = sign(key, &json!({"exp": 100, "upn": "a"}));
        assert_eq!(
            verify(key, &t, 50).ok().and_then(|c| c.get("upn").cloned()),
            Some(json!("a"))
        );
        assert_eq!(verify(key, &t, 100), Err(JwtError::Expired));
        assert_eq!(verify(b"other", &t, 50), Err(JwtError::BadSignature));
        let forged = t.replacen('.', ".e30", 1);
        assert!(verify(key, &forged, 50).is_err());
    }
}
