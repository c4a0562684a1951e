//! Inputs of the communication identifiers and organised groups of a case.

use caravan_model::{GroupRole, IdentifierKind};
use serde::Deserialize;

use super::{MAX_LONG_TEXT, MAX_TEXT, Normalise, bounded, opt, text};
use crate::error::Result;
use crate::ids::RecordId;

/// A phone number, handset, e-mail address, account or website of the case.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct IdentifierInput {
    #[cfg_attr(feature = "clap", arg(long))]
    pub kind: IdentifierKind,
    /// The number, IMEI, address or account name (masked in every view)
    #[cfg_attr(feature = "clap", arg(long))]
    pub value: String,
    /// The service, e.g. WhatsApp or Telegram
    #[cfg_attr(feature = "clap", arg(long))]
    pub platform: Option<String>,
    /// The victim, suspect or witness who uses it
    #[cfg_attr(feature = "clap", arg(long = "person"))]
    pub person_id: Option<RecordId>,
    /// Where it was learnt: a seized phone, an interview, a provider
    #[cfg_attr(feature = "clap", arg(long))]
    pub source: Option<String>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub note: Option<String>,
}
normalise!(IdentifierInput {
    text: [value],
    optional: [platform, source, note]
});

/// One suspect in a new group: `<suspect-id>:<role>[:<superior-id>]` on
/// the command line.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct GroupMemberInput {
    pub person_id: RecordId,
    pub role: GroupRole,
    /// The member (a suspect's id) this one answers to.
    pub superior: Option<RecordId>,
}

impl std::str::FromStr for GroupMemberInput {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let bad = || {
            format!(
                "'{s}' is not a member: write <suspect-id>:<role>[:<superior-id>], role one of {}",
                GroupRole::ALL
                    .iter()
                    .map(|r| r.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let mut parts = s.split(':').map(str::trim);
        let person = parts.next().filter(|p| !p.is_empty()).ok_or_else(bad)?;
        let role = parts.next().and_then(GroupRole::from_id).ok_or_else(bad)?;
        let superior = parts.next().filter(|p| !p.is_empty());
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(GroupMemberInput {
            person_id: RecordId::from(person),
            role,
            superior: superior.map(RecordId::from),
        })
    }
}

/// An organised group and its members.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct GroupInput {
    /// The group's name, or the investigation's label for it
    #[cfg_attr(feature = "clap", arg(long))]
    pub name: String,
    #[cfg_attr(feature = "clap", arg(long))]
    pub description: Option<String>,
    /// <suspect-id>:<role>[:<superior-id>] (repeat for each member)
    #[cfg_attr(feature = "clap", arg(long = "member"))]
    #[serde(default)]
    pub members: Vec<GroupMemberInput>,
    /// ISO 3166-1 alpha-2 codes of the states it operates in (repeat)
    #[cfg_attr(feature = "clap", arg(long = "country"))]
    #[serde(default)]
    pub countries: Vec<String>,
}

impl Normalise for GroupInput {
    fn normalised(self) -> Result<Self> {
        let out = GroupInput {
            name: text(self.name),
            description: opt(self.description),
            members: self.members,
            countries: self
                .countries
                .into_iter()
                .map(text)
                .filter(|c| !c.is_empty())
                .collect(),
        };
        bounded("name", &out.name, MAX_TEXT)?;
        bounded(
            "description",
            out.description.as_deref().unwrap_or(""),
            MAX_LONG_TEXT,
        )?;
        super::listed("members", out.members.len())?;
        super::listed("countries", out.countries.len())?;
        Ok(out)
    }
}
