//! `Register`: a team's first roster, or a newer one. The roster's own
//! signature is its authority, so it is taken before authentication too.

use caravan_net::error::RelayCode;
use caravan_net::relay_proto::RelayMsg;
use caravan_sync::roster::{RosterError, SignedRoster};
use tracing::info;

use crate::conn::{Refusal, current_roster};
use crate::hub::Event;
use crate::server::Shared;
use crate::store::NewRoster;

fn roster_refusal(e: RosterError) -> Refusal {
    let code = match e {
        RosterError::TooLarge { .. } => RelayCode::TooLarge,
        RosterError::Malformed { .. } => RelayCode::Malformed,
        RosterError::BadSignature | RosterError::SignerNotAdmin => RelayCode::BadSignature,
    };
    Refusal::new(code, e.to_string())
}

/// How far ahead of this relay's clock a roster's version (its issue
/// time, in milliseconds) may be.
const MAX_AHEAD_MS: i64 = 10 * 60 * 1000;

/// Takes `signed` if its signature verifies, it names this relay, its team
/// is one the operator lists (if they list any), its signer is an admin
/// device of the roster held for the team (for a new team: of the roster
/// itself, first come) and its version is higher.
pub(crate) async fn register(shared: &Shared, signed: SignedRoster) -> Result<RelayMsg, Refusal> {
    let roster = signed.open().map_err(roster_refusal)?;
    if roster.relay_key != shared.key.public() {
        return Err(Refusal::new(
            RelayCode::WrongRelay,
            "this roster is for another relay",
        ));
    }
    if !shared.config.serves(&roster.team_id) {
        return Err(Refusal::new(
            RelayCode::TeamNotAllowed,
            format!(
                "this relay takes only the teams its operator lists; ask them to add team {}",
                hex::encode(roster.team_id)
            ),
        ));
    }
    // A version is its issue time: one dated far ahead would outrank every
    // later roster of the team's admins, so that no revocation would take
    // effect here again.
    if i64::try_from(roster.version).map_or(true, |v| v > crate::session::now_ms() + MAX_AHEAD_MS) {
        return Err(Refusal::new(
            RelayCode::Malformed,
            "this roster is dated more than ten minutes ahead of the relay's clock",
        ));
    }
    let held = current_roster(shared, roster.team_id).await?;
    if let Some(held) = &held {
        if !held.is_admin(&signed.signer) {
            return Err(Refusal::new(
                RelayCode::BadSignature,
                "this roster was not signed by an admin device of the roster the relay holds",
            ));
        }
        if roster.version <= held.version {
            return Err(Refusal::new(
                RelayCode::StaleRoster,
                format!("the relay holds roster version {}, not older", held.version),
            ));
        }
    }
    let encoded = postcard::to_stdvec(&signed)
        .map_err(|e| Refusal::new(RelayCode::Malformed, e.to_string()))?;
    shared
        .store
        .put_roster(NewRoster {
            team: roster.team_id,
            signed: encoded,
            version: roster.version,
            replaces: held.as_ref().map(|h| h.version),
            devices: roster
                .devices
                .iter()
                .map(|d| (d.device, d.member.clone()))
                .collect(),
        })
        .await?;
    // Forgotten here at once (the announcement through PostgreSQL comes a
    // moment later), so a device just added is admitted by this process
    // straight away.
    shared.rosters.invalidate(roster.team_id);
    if !shared.store.announces() {
        shared.hub.publish(roster.team_id, Event::Roster);
    }
    info!(
        team = %crate::metrics::team_tag(&roster.team_id),
        version = roster.version,
        devices = roster.devices.len(),
        "roster stored"
    );
    Ok(RelayMsg::RosterOk {
        version: roster.version,
    })
}
