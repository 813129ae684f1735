//! Loading every signed-in tenant's score history (the last 90 daily snapshots) and control
//! profiles. A tenant that fails is named and the others load.

use vigil_core::models::{SecureScore, SecureScoreControlProfile};
use vigil_core::odata::Query;

use crate::auth::Auth;

/// The service keeps one snapshot a day for 90 days.
const HISTORY: u32 = 90;

#[derive(Debug, Clone)]
pub struct TenantData {
    pub id: String,
    /// The tenant's name from config.json (empty when unknown).
    pub name: String,
    pub scores: Vec<SecureScore>,
    pub profiles: Vec<SecureScoreControlProfile>,
}

impl TenantData {
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

#[derive(Debug, Clone)]
pub struct Loaded {
    pub tenants: Vec<std::sync::Arc<TenantData>>,
    /// What failed, one sentence each.
    pub problems: Vec<String>,
}

/// One tenant's history and profiles. Profiles that fail leave the history usable.
pub async fn tenant(
    auth: Auth,
    id: &str,
    name: &str,
    problems: &mut Vec<String>,
) -> Option<TenantData> {
    let client = auth.client_for_data(Some(id))?;
    let who = |what: &str| {
        if name.is_empty() {
            what.to_owned()
        } else {
            format!("{name}: {what}")
        }
    };
    let scores = match client
        .list_secure_scores(&Query::new().top(HISTORY))
        .collect_all()
        .await
    {
        Ok(s) => s,
        Err(e) => {
            problems.push(who(&format!("score history: {}", auth.explain(&e))));
            return None;
        }
    };
    let profiles = match client
        .list_control_profiles(&Query::new())
        .collect_all()
        .await
    {
        Ok(p) => p,
        Err(e) => {
            problems.push(who(&format!("improvement actions: {}", auth.explain(&e))));
            Vec::new()
        }
    };
    Some(TenantData {
        id: id.to_owned(),
        name: name.to_owned(),
        scores,
        profiles,
    })
}

/// Every tenant with a live session (the chosen one first).
pub async fn load(auth: Auth) -> Result<Loaded, String> {
    let mut tenants = Vec::new();
    let mut problems = Vec::new();
    let active = auth.active_tenant();
    let mut list = auth.data_tenants();
    if let Some(a) = active
        && let Some(i) = list.iter().position(|(id, _)| *id == a)
    {
        let first = list.remove(i);
        list.insert(0, first);
    }
    for (id, name) in list {
        if let Some(t) = tenant(auth, &id, &name, &mut problems).await {
            tenants.push(std::sync::Arc::new(t));
        }
    }
    if tenants.is_empty() {
        return Err(if problems.is_empty() {
            "Sign in to see the Secure Score.".to_owned()
        } else {
            problems.join(" ")
        });
    }
    Ok(Loaded { tenants, problems })
}
