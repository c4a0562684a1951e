//! Relay envelopes handed out and not yet confirmed stored, kept by the
//! workspace between `relay_outbox` and `relay_sent` (memory only: after
//! a restart an envelope not confirmed is simply written again).

use std::collections::HashMap;

use caravan_sync::announce::Announced;

/// Envelopes written and not confirmed are forgotten past this many (a
/// relay that never confirms costs no more memory than this).
const MAX_UNCONFIRMED: usize = 1024;

/// Envelopes handed out by `relay_outbox` and not yet confirmed.
#[derive(Debug, Default)]
pub(crate) struct Unconfirmed {
    next: u64,
    /// Token → (relay key, what the envelope announces).
    by_token: HashMap<u64, (String, Announced)>,
}

impl Unconfirmed {
    pub(crate) fn add(&mut self, relay: &str, a: Announced) -> u64 {
        if self.by_token.len() >= MAX_UNCONFIRMED
            && let Some(oldest) = self.by_token.keys().min().copied()
        {
            self.by_token.remove(&oldest);
        }
        self.next += 1;
        self.by_token.insert(self.next, (relay.to_string(), a));
        self.next
    }

    /// What the envelope `token` for `relay` announces, once: `None` for a
    /// token this workspace did not hand out for that relay.
    pub(crate) fn take(&mut self, relay: &str, token: u64) -> Option<Announced> {
        match self.by_token.get(&token) {
            Some((r, _)) if r == relay => self.by_token.remove(&token).map(|(_, a)| a),
            _ => None,
        }
    }
}
