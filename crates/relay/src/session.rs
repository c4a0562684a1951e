//! An authenticated device's requests, and the events of its team.

use std::sync::Arc;

use caravan_net::NetError;
use caravan_net::error::RelayCode;
use caravan_net::relay_proto::{ClientMsg, MAX_FETCH_BYTES, MAX_FETCH_ITEMS, RelayMsg};
use tokio::sync::broadcast::error::RecvError;
use tracing::{debug, info};

use crate::conn::{Inbox, Refusal, Sender, current_roster};
use crate::hub::{Event, Subscription};
use crate::recent::{Held, recipients};
use crate::register::register;
use crate::server::Shared;
use crate::store::{NewEnvelope, Reader, StoreError};

pub(crate) struct Session {
    shared: Arc<Shared>,
    reader: Reader,
    subscribed: bool,
    /// The highest sequence number an event named, for the `Notify` sent
    /// when events were missed.
    last_seen: u64,
}

/// What to do after a message or an event.
enum Next {
    Continue,
    End,
}

impl Session {
    pub fn new(shared: Arc<Shared>, team: [u8; 16], device: [u8; 32], member: String) -> Session {
        Session {
            shared,
            reader: Reader {
                team,
                device,
                member,
            },
            subscribed: false,
            last_seen: 0,
        }
    }

    pub async fn run(
        mut self,
        sender: &mut Sender,
        mut inbox: Inbox,
        mut events: Subscription,
    ) -> Result<(), NetError> {
        let mut shutdown = self.shared.shutdown.clone();
        // Each turn handles one message or one event to its end, so an
        // append in progress when shutdown begins is finished (and its
        // `Stored` sent) first.
        loop {
            let next = tokio::select! {
                biased;
                _ = shutdown.changed() => {
                    let bye = Refusal::fatal(RelayCode::Unavailable, "the relay is shutting down");
                    sender.send(&bye.to_msg().encode()).await?;
                    Next::End
                }
                msg = inbox.recv() => match msg {
                    Some(Ok(bytes)) => self.on_message(sender, &bytes).await?,
                    Some(Err(e)) => self.on_channel_error(sender, e).await?,
                    None => Next::End,
                },
                ev = events.recv() => self.on_event(sender, ev).await?,
            };
            if let Next::End = next {
                return Ok(());
            }
        }
    }

    async fn on_channel_error(&self, sender: &mut Sender, e: NetError) -> Result<Next, NetError> {
        // A message the channel could not read leaves it out of step:
        // the connection ends, with a reason when one can still be sent.
        let code = match e {
            NetError::TooLarge { .. } => RelayCode::TooLarge,
            NetError::Closed => return Ok(Next::End),
            _ => RelayCode::Malformed,
        };
        let _ = sender
            .send(&Refusal::fatal(code, e.to_string()).to_msg().encode())
            .await;
        Ok(Next::End)
    }

    async fn on_message(&mut self, sender: &mut Sender, bytes: &[u8]) -> Result<Next, NetError> {
        let msg = match ClientMsg::decode(bytes) {
            Ok(msg) => msg,
            Err(e) => {
                let r = Refusal::new(RelayCode::Malformed, e.to_string());
                sender.send(&r.to_msg().encode()).await?;
                return Ok(Next::Continue);
            }
        };
        let reply = match msg {
            ClientMsg::Upload { id, to, body } => self.upload(id, to, body).await.map(Some),
            ClientMsg::Fetch { after, limit } => self.fetch(after, limit).await.map(Some),
            ClientMsg::Ack { seq } => self
                .shared
                .store
                .ack(self.reader.team, self.reader.device, seq)
                .await
                .map(|_| None)
                .map_err(Refusal::from),
            ClientMsg::Subscribe => {
                self.subscribed = true;
                Ok(None)
            }
            ClientMsg::Ping { id } => Ok(Some(RelayMsg::Pong { id })),
            ClientMsg::Register { roster } => register(&self.shared, roster).await.map(Some),
            ClientMsg::Auth { .. } => {
                Err(Refusal::new(RelayCode::Malformed, "already authenticated"))
            }
        };
        match reply {
            Ok(Some(msg)) => sender.send(&msg.encode()).await?,
            Ok(None) => {}
            Err(r) => sender.send(&r.to_msg().encode()).await?,
        }
        Ok(Next::Continue)
    }

    async fn upload(
        &mut self,
        id: u64,
        to: Vec<String>,
        body: Vec<u8>,
    ) -> Result<RelayMsg, Refusal> {
        let max = self.shared.config.max_envelope;
        if body.len() > max {
            return Err(Refusal::new(
                RelayCode::TooLarge,
                format!(
                    "an envelope of {} bytes; this relay takes at most {max}",
                    body.len()
                ),
            ));
        }
        let (team, from, size) = (self.reader.team, self.reader.device, body.len());
        let announces = self.shared.store.announces();
        // Taken before the append commits, so that every later envelope of
        // the team is recorded too (see hub::Ticket).
        let ticket = self.shared.hub.ticket(team);
        let members = (ticket.is_some() || !announces).then(|| recipients(&to));
        let kept = ticket
            .as_ref()
            .filter(|t| size <= t.max_body)
            .map(|_| body.clone());
        let envelope = NewEnvelope {
            team,
            from,
            at_ms: now_ms(),
            to,
            body,
        };
        let at_ms = envelope.at_ms;
        let appended = self
            .shared
            .store
            .append(envelope, self.shared.config.quota_bytes)
            .await;
        let seq = match appended {
            Ok(seq) => seq,
            Err(e) => {
                if let (Some(t), StoreError::Backend(_)) = (&ticket, &e) {
                    t.reset();
                }
                return Err(e.into());
            }
        };
        self.shared.metrics.appended(size as u64);
        if let Some(to) = members {
            if let Some(t) = &ticket {
                let (to, body) = (to.clone(), kept);
                t.record(Held {
                    seq,
                    from,
                    at_ms,
                    to,
                    size,
                    body,
                });
            }
            // Recorded first: a subscriber told of it finds it held.
            if !announces {
                let event = Event::Appended { seq, from, to };
                self.shared.hub.publish(team, event);
            }
        }
        Ok(RelayMsg::Stored { id, seq })
    }

    async fn fetch(&mut self, after: u64, limit: u32) -> Result<RelayMsg, Refusal> {
        let limit = limit.clamp(1, MAX_FETCH_ITEMS);
        let recent = self
            .shared
            .hub
            .fetch(&self.reader, after, limit, MAX_FETCH_BYTES);
        self.shared.metrics.fetched(recent.is_some());
        let page = match recent {
            Some(page) => page,
            None => {
                self.shared
                    .store
                    .fetch(&self.reader, after, limit, MAX_FETCH_BYTES)
                    .await?
            }
        };
        Ok(RelayMsg::Envelopes {
            items: page.items,
            more: page.more,
        })
    }

    async fn on_event(
        &mut self,
        sender: &mut Sender,
        ev: Result<Event, RecvError>,
    ) -> Result<Next, NetError> {
        match ev {
            Ok(Event::Appended { seq, from, to }) => {
                self.last_seen = self.last_seen.max(seq);
                if self.subscribed && from != self.reader.device && to.contains(&self.reader.member)
                {
                    sender.send(&RelayMsg::Notify { seq }.encode()).await?;
                }
                Ok(Next::Continue)
            }
            Ok(Event::Roster) => self.recheck(sender, false).await,
            // Missed events: the roster may have changed, envelopes may wait.
            Ok(Event::Resync) | Err(RecvError::Lagged(_)) => self.recheck(sender, true).await,
            Err(RecvError::Closed) => Ok(Next::End),
        }
    }

    /// Ends the connection if the current roster no longer lists this device.
    async fn recheck(&mut self, sender: &mut Sender, notify: bool) -> Result<Next, NetError> {
        let listed = match current_roster(&self.shared, self.reader.team).await {
            Ok(Some(r)) => r.device(&self.reader.device).is_some(),
            Ok(None) => false,
            Err(r) => {
                debug!(
                    code = r.code.as_str(),
                    "roster unavailable; kept the connection"
                );
                true
            }
        };
        if !listed {
            info!(team = %crate::metrics::team_tag(&self.reader.team), "device no longer on the roster: disconnected");
            let r = Refusal::fatal(
                RelayCode::NotOnRoster,
                "this device is no longer on the team's roster",
            );
            let _ = sender.send(&r.to_msg().encode()).await;
            return Ok(Next::End);
        }
        if notify && self.subscribed {
            sender
                .send(
                    &RelayMsg::Notify {
                        seq: self.last_seen,
                    }
                    .encode(),
                )
                .await?;
        }
        Ok(Next::Continue)
    }
}

pub(crate) fn now_ms() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
}
