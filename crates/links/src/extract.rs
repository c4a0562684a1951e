//! What a case holds that another case may share: its people and the
//! entities of its records, each with its matching key and where it was
//! read (a record path, never the value).

use caravan_model::{Case, EvidenceKind, FlowKind, IdentifierKind, Identity};
use zeroize::Zeroize;

use crate::graph::{EntityKind, PersonRole};
use crate::keys::{
    handle_key, imei_key, name_key, number_key, parts, phone_key, plate_key, text_key,
};

/// One thing found in a case. `key` and `value` are identity values:
/// `Debug` shows neither, and both are wiped when it is dropped.
pub struct Found {
    pub kind: EntityKind,
    /// The matching key (see [`crate::keys`]).
    pub(crate) key: String,
    /// The value as written (for an export that reveals it).
    pub(crate) value: String,
    pub case_id: String,
    /// Where it was read, e.g. `identifiers/<id>/value`.
    pub path: String,
    /// The person of the case it belongs to, if any (a person's own
    /// record for [`EntityKind::Person`]).
    pub person_id: Option<String>,
    /// For a person: their pseudonym and role in this case.
    pub pseudonym: Option<String>,
    pub role: Option<PersonRole>,
    /// A name the team sees (an organisation's), shown as its label.
    pub shown: Option<String>,
}

impl std::fmt::Debug for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Found")
            .field("kind", &self.kind)
            .field("case_id", &self.case_id)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Drop for Found {
    fn drop(&mut self) {
        self.key.zeroize();
        self.value.zeroize();
    }
}

struct Sink<'a> {
    case_id: &'a str,
    out: Vec<Found>,
}

impl Sink<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: EntityKind,
        key: Option<String>,
        value: &str,
        path: String,
        person_id: Option<&str>,
        shown: Option<&str>,
    ) {
        let Some(key) = key.filter(|k| !k.is_empty()) else {
            return;
        };
        self.out.push(Found {
            kind,
            key,
            value: value.trim().to_string(),
            case_id: self.case_id.to_string(),
            path,
            person_id: person_id.map(String::from),
            pseudonym: None,
            role: None,
            shown: shown.map(String::from),
        });
    }

    fn person(&mut self, role: PersonRole, id: &str, pseudonym: &str, identity: &Identity) {
        let base = format!("{}/{id}/identity", role.collection());
        let name = name_key(&identity.full_name);
        if !name.is_empty() {
            let birth = identity
                .birth_date
                .map_or_else(|| "-".to_string(), |d| d.to_string());
            self.out.push(Found {
                kind: EntityKind::Person,
                key: format!("{name}|{birth}"),
                value: match identity.birth_date {
                    Some(d) => format!("{} ({d})", identity.full_name.trim()),
                    None => identity.full_name.trim().to_string(),
                },
                case_id: self.case_id.to_string(),
                path: format!("{}/{id}", role.collection()),
                person_id: Some(id.to_string()),
                pseudonym: Some(pseudonym.to_string()),
                role: Some(role),
                shown: None,
            });
        }
        if let Some(docs) = &identity.document_numbers {
            for p in parts(docs) {
                let path = format!("{base}/document_numbers");
                self.push(EntityKind::Document, number_key(p), p, path, Some(id), None);
            }
        }
        if let Some(contact) = &identity.contact {
            for p in parts(contact) {
                let path = format!("{base}/contact");
                if p.contains('@') {
                    let token = p.split_whitespace().find(|w| w.contains('@')).unwrap_or(p);
                    self.push(
                        EntityKind::Email,
                        handle_key(token),
                        token,
                        path,
                        Some(id),
                        None,
                    );
                } else if let Some(start) = p.find(|c: char| c == '+' || c.is_ascii_digit()) {
                    let number = &p[start..];
                    self.push(
                        EntityKind::Phone,
                        phone_key(number),
                        number,
                        path,
                        Some(id),
                        None,
                    );
                }
            }
        }
        if let Some(address) = &identity.address {
            let path = format!("{base}/address");
            self.push(
                EntityKind::Address,
                Some(text_key(address)),
                address,
                path,
                Some(id),
                None,
            );
        }
    }
}

/// Everything of a case that links it to others: its people (by name and
/// date of birth), their documents, phones, e-mail addresses and
/// addresses; the case's communication identifiers; account numbers of
/// its financial flows and the organisations named as their parties; its
/// organised groups; referral organisations; vehicles among its evidence
/// (the plate read from the item's label).
pub fn extract(case_id: &str, case: &Case) -> Vec<Found> {
    let mut s = Sink {
        case_id,
        out: Vec::new(),
    };
    for (id, v) in &case.victims {
        s.person(PersonRole::Victim, id, &v.pseudonym, &v.identity);
    }
    for (id, p) in &case.suspects {
        s.person(PersonRole::Suspect, id, &p.pseudonym, &p.identity);
    }
    for (id, w) in &case.witnesses {
        s.person(PersonRole::Witness, id, &w.pseudonym, &w.identity);
    }
    for (id, i) in &case.identifiers {
        let (kind, key) = match i.kind {
            IdentifierKind::Phone => (EntityKind::Phone, phone_key(&i.value)),
            IdentifierKind::Imei => (EntityKind::Imei, imei_key(&i.value)),
            IdentifierKind::Email => (EntityKind::Email, handle_key(&i.value)),
            _ => (EntityKind::Online, handle_key(&i.value)),
        };
        let path = format!("identifiers/{id}/value");
        s.push(kind, key, &i.value, path, i.person_id.as_deref(), None);
    }
    for (id, f) in &case.financial_flows {
        if let Some(account) = &f.account {
            let holder = if f.kind == FlowKind::Account || f.kind == FlowKind::Asset {
                f.from_person_id.as_deref().or(f.to_person_id.as_deref())
            } else {
                f.to_person_id.as_deref()
            };
            let path = format!("financial_flows/{id}/account");
            s.push(
                EntityKind::Account,
                number_key(account),
                account,
                path,
                holder,
                None,
            );
        }
        for (side, party) in [("from_party", &f.from_party), ("to_party", &f.to_party)] {
            if let Some(name) = party {
                let path = format!("financial_flows/{id}/{side}");
                s.push(
                    EntityKind::Organisation,
                    Some(text_key(name)),
                    name,
                    path,
                    None,
                    Some(name),
                );
            }
        }
    }
    for (id, g) in &case.groups {
        let path = format!("groups/{id}/name");
        s.push(
            EntityKind::Organisation,
            Some(text_key(&g.name)),
            &g.name,
            path,
            None,
            Some(&g.name),
        );
    }
    for (id, r) in &case.referrals {
        let path = format!("referrals/{id}/organisation");
        let person = Some(r.person_id.as_str()).filter(|p| !p.is_empty());
        s.push(
            EntityKind::Organisation,
            Some(text_key(&r.organisation)),
            &r.organisation,
            path,
            person,
            Some(&r.organisation),
        );
    }
    for (id, e) in &case.evidence {
        if e.kind != EvidenceKind::Vehicle {
            continue;
        }
        let plate = plate_key(&e.label).or_else(|| e.label.split_whitespace().find_map(plate_key));
        if let Some(plate) = plate {
            let path = format!("evidence/{id}/label");
            s.push(
                EntityKind::Vehicle,
                Some(plate.clone()),
                &plate,
                path,
                None,
                None,
            );
        }
    }
    s.out
}
