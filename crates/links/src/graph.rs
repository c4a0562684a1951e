//! The link graph: cases, people and the entities they hold as nodes;
//! who appears in which case, and which entity belongs to whom or to
//! which case, as edges. What two cases share is one node with edges to
//! both.
//!
//! No node, edge or label holds an identity value: a person is shown by
//! their pseudonyms, an identifier by its kind and its holders'
//! pseudonyms, and every node says where it was read (record paths), by
//! which the front end asks for an audited reveal.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::extract::Found;

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum EntityKind {
    Case,
    /// A person by folded name and date of birth.
    Person,
    Phone,
    Imei,
    Email,
    /// A messenger or social account, a website, another identifier.
    Online,
    /// An identity document's number.
    Document,
    /// A financial flow's account number.
    Account,
    /// A vehicle's registration plate.
    Vehicle,
    Address,
    /// An organised group, a party of a financial flow that is no person
    /// of the case, a referral organisation.
    Organisation,
}

impl EntityKind {
    pub const ALL: [EntityKind; 11] = [
        EntityKind::Case,
        EntityKind::Person,
        EntityKind::Phone,
        EntityKind::Imei,
        EntityKind::Email,
        EntityKind::Online,
        EntityKind::Document,
        EntityKind::Account,
        EntityKind::Vehicle,
        EntityKind::Address,
        EntityKind::Organisation,
    ];

    /// The stable id (as in JSON).
    pub fn id(self) -> &'static str {
        match self {
            EntityKind::Case => "case",
            EntityKind::Person => "person",
            EntityKind::Phone => "phone",
            EntityKind::Imei => "imei",
            EntityKind::Email => "email",
            EntityKind::Online => "online",
            EntityKind::Document => "document",
            EntityKind::Account => "account",
            EntityKind::Vehicle => "vehicle",
            EntityKind::Address => "address",
            EntityKind::Organisation => "organisation",
        }
    }

    /// Parses a stable id.
    pub fn parse(id: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.id() == id.trim())
    }

    /// Whether a node of this kind holds an identity value (masked).
    pub fn masked(self) -> bool {
        !matches!(self, EntityKind::Case | EntityKind::Organisation)
    }
}

/// A person's part in a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum PersonRole {
    Victim,
    Suspect,
    Witness,
}

impl PersonRole {
    /// The case's collection of people in this role.
    pub fn collection(self) -> &'static str {
        match self {
            PersonRole::Victim => "victims",
            PersonRole::Suspect => "suspects",
            PersonRole::Witness => "witnesses",
        }
    }
}

/// A case as the graph names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseInfo {
    pub id: String,
    pub reference: String,
    pub title: String,
}

/// Which part of the graph to build.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct LinkOptions {
    /// Only these cases (ids); none: every case this device may see.
    pub cases: Vec<String>,
    /// Only nodes of these kinds (cases are kept where a node links to
    /// them); none: every kind.
    pub kinds: Vec<EntityKind>,
    /// Only what appears in more than one case, with the people who hold
    /// it.
    pub shared_only: bool,
}

/// Where a node was read: a case and a record path (never the value).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Occurrence {
    pub case_id: String,
    /// E.g. `victims/<id>`, `identifiers/<id>/value`,
    /// `financial_flows/<id>/account`.
    pub path: String,
    /// The person of the case it belongs to.
    pub person_id: Option<String>,
}

/// A node of the graph. Its id is `c:<case id>` for a case, `p<n>` for a
/// person and `e<n>` for another entity (numbered in the order the cases
/// and records were read, never by value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinkNode {
    pub id: String,
    pub kind: EntityKind,
    /// Masked: a case's reference, a person's pseudonyms, an
    /// organisation's name, or the pseudonyms of an identifier's holders
    /// (empty when it has none); a front end puts the kind before it.
    pub label: String,
    /// The cases it appears in.
    pub cases: Vec<String>,
    pub occurrences: Vec<Occurrence>,
    /// A person's roles across the cases.
    pub roles: Vec<PersonRole>,
}

/// What an edge joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum EdgeKind {
    /// A person appears in a case (`role` says as whom).
    PersonCase,
    /// An entity belongs to a person.
    EntityPerson,
    /// An entity is recorded in a case, held by no person of it.
    EntityCase,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinkEdge {
    pub source: String,
    pub target: String,
    pub kind: EdgeKind,
    pub role: Option<PersonRole>,
    /// The case the link was read in.
    pub case_id: String,
}

/// The graph, values masked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinkGraph {
    /// Every case read (the filters choose among them).
    pub cases: Vec<CaseInfo>,
    pub nodes: Vec<LinkNode>,
    pub edges: Vec<LinkEdge>,
    /// How many people and entities appear in more than one case.
    pub shared: u32,
}

impl LinkGraph {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&LinkNode> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// People and entities that appear in more than one case: most cases
    /// first, then people before the other kinds, then in reading order.
    pub fn cross_case(&self) -> Vec<&LinkNode> {
        let mut v: Vec<&LinkNode> = self
            .nodes
            .iter()
            .filter(|n| n.kind != EntityKind::Case && n.cases.len() > 1)
            .collect();
        v.sort_by(|a, b| {
            (b.cases.len().cmp(&a.cases.len()))
                .then(a.kind.cmp(&b.kind))
                .then(a.id.len().cmp(&b.id.len()))
                .then(a.id.cmp(&b.id))
        });
        v
    }
}

/// The values of a graph's nodes, for an export that reveals them:
/// `Debug` shows none, and they are wiped when dropped.
#[derive(Default)]
pub struct Revealed {
    values: HashMap<String, String>,
}

impl Revealed {
    pub fn get(&self, node: &str) -> Option<&str> {
        self.values.get(node).map(String::as_str)
    }
}

impl std::fmt::Debug for Revealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Revealed({} values)", self.values.len())
    }
}

impl Drop for Revealed {
    fn drop(&mut self) {
        for v in self.values.values_mut() {
            v.zeroize();
        }
    }
}

/// Builds the graph of what `found` holds (see [`crate::extract`]).
pub fn build(cases: &[CaseInfo], found: Vec<Found>, opts: &LinkOptions) -> LinkGraph {
    build_inner(cases, found, opts, false).0
}

/// Builds the graph and the value of every masked node, for an export
/// that reveals them (the caller audits it first).
pub fn build_revealing(
    cases: &[CaseInfo],
    found: Vec<Found>,
    opts: &LinkOptions,
) -> (LinkGraph, Revealed) {
    build_inner(cases, found, opts, true)
}

fn canonical(f: &Found) -> String {
    match f.kind {
        EntityKind::Phone => format!("+{}", f.key),
        EntityKind::Person | EntityKind::Address | EntityKind::Organisation => f.value.clone(),
        _ => f.key.clone(),
    }
}

fn build_inner(
    cases: &[CaseInfo],
    found: Vec<Found>,
    opts: &LinkOptions,
    reveal: bool,
) -> (LinkGraph, Revealed) {
    let wanted: BTreeSet<&str> = opts.cases.iter().map(|c| c.trim()).collect();
    let cases: Vec<CaseInfo> = cases
        .iter()
        .filter(|c| wanted.is_empty() || wanted.contains(c.id.as_str()))
        .cloned()
        .collect();
    let known: BTreeSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    let found: Vec<Found> = found
        .into_iter()
        .filter(|f| known.contains(f.case_id.as_str()))
        .collect();

    // Group by (kind, key), the groups in the order their first
    // occurrence was read: ids never follow the values.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    {
        let mut by_key: HashMap<(EntityKind, &str), usize> = HashMap::new();
        for (i, f) in found.iter().enumerate() {
            let g = *by_key.entry((f.kind, f.key.as_str())).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
    }
    // People first, so entities can name their holders.
    groups.sort_by_key(|g| found[g[0]].kind != EntityKind::Person);

    let mut nodes: Vec<LinkNode> = Vec::with_capacity(groups.len() + cases.len());
    let mut values = HashMap::new();
    let mut person_node: HashMap<(&str, &str), usize> = HashMap::new();
    let (mut people, mut others) = (0, 0);
    for g in &groups {
        let first = &found[g[0]];
        let id = if first.kind == EntityKind::Person {
            people += 1;
            format!("p{people}")
        } else {
            others += 1;
            format!("e{others}")
        };
        let mut case_ids: Vec<String> = g.iter().map(|&i| found[i].case_id.clone()).collect();
        case_ids.sort();
        case_ids.dedup();
        let mut occurrences: Vec<Occurrence> = g
            .iter()
            .map(|&i| Occurrence {
                case_id: found[i].case_id.clone(),
                path: found[i].path.clone(),
                person_id: found[i].person_id.clone(),
            })
            .collect();
        occurrences.sort();
        let mut roles: Vec<PersonRole> = g.iter().filter_map(|&i| found[i].role).collect();
        roles.sort();
        roles.dedup();
        let label = match first.kind {
            EntityKind::Person => unique(g.iter().filter_map(|&i| found[i].pseudonym.clone())),
            EntityKind::Organisation => first.shown.clone().unwrap_or_default(),
            _ => String::new(),
        };
        if first.kind == EntityKind::Person {
            for &i in g {
                if let Some(p) = &found[i].person_id {
                    person_node.insert((found[i].case_id.as_str(), p.as_str()), nodes.len());
                }
            }
        }
        if reveal && first.kind != EntityKind::Case {
            values.insert(id.clone(), canonical(first));
        }
        nodes.push(LinkNode {
            id,
            kind: first.kind,
            label,
            cases: case_ids,
            occurrences,
            roles,
        });
    }

    let mut edges: BTreeSet<LinkEdge> = BTreeSet::new();
    for (g, node) in groups.iter().zip(0..) {
        for &i in g {
            let f = &found[i];
            let holder = f
                .person_id
                .as_deref()
                .and_then(|p| person_node.get(&(f.case_id.as_str(), p)))
                .copied();
            let (target, kind) = match (f.kind, holder) {
                (EntityKind::Person, _) => (format!("c:{}", f.case_id), EdgeKind::PersonCase),
                (_, Some(h)) => (nodes[h].id.clone(), EdgeKind::EntityPerson),
                (_, None) => (format!("c:{}", f.case_id), EdgeKind::EntityCase),
            };
            edges.insert(LinkEdge {
                source: nodes[node].id.clone(),
                target,
                kind,
                role: f.role,
                case_id: f.case_id.clone(),
            });
        }
    }
    // An identifier's label: its holders' pseudonyms.
    let mut holders: HashMap<String, Vec<String>> = HashMap::new();
    for e in edges.iter().filter(|e| e.kind == EdgeKind::EntityPerson) {
        holders
            .entry(e.source.clone())
            .or_default()
            .push(e.target.clone());
    }
    let labels: HashMap<String, String> = nodes
        .iter()
        .map(|n| (n.id.clone(), n.label.clone()))
        .collect();
    for n in nodes.iter_mut() {
        if let Some(h) = holders.get(&n.id) {
            n.label = unique(h.iter().filter_map(|p| labels.get(p).cloned()));
        }
    }
    let shared = nodes.iter().filter(|n| n.cases.len() > 1).count() as u32;

    // The filters: which people and entities stay.
    let mut keep: BTreeSet<String> = nodes
        .iter()
        .filter(|n| !opts.shared_only || n.cases.len() > 1)
        .filter(|n| opts.kinds.is_empty() || opts.kinds.contains(&n.kind))
        .map(|n| n.id.clone())
        .collect();
    if opts.shared_only {
        // The holders of what is shared stay with it.
        let holders_kept: Vec<String> = edges
            .iter()
            .filter(|e| e.kind == EdgeKind::EntityPerson && keep.contains(&e.source))
            .map(|e| e.target.clone())
            .filter(|_| opts.kinds.is_empty() || opts.kinds.contains(&EntityKind::Person))
            .collect();
        keep.extend(holders_kept);
    }
    let mut nodes: Vec<LinkNode> = nodes.into_iter().filter(|n| keep.contains(&n.id)).collect();
    let used_cases: BTreeSet<&str> = nodes
        .iter()
        .flat_map(|n| n.cases.iter().map(String::as_str))
        .collect();
    let case_kept =
        |id: &str| used_cases.contains(id) || (!opts.shared_only && opts.kinds.is_empty());
    let mut case_nodes: Vec<LinkNode> = cases
        .iter()
        .filter(|c| case_kept(&c.id))
        .map(|c| LinkNode {
            id: format!("c:{}", c.id),
            kind: EntityKind::Case,
            label: c.reference.clone(),
            cases: vec![c.id.clone()],
            occurrences: Vec::new(),
            roles: Vec::new(),
        })
        .collect();
    let present: BTreeSet<String> = nodes
        .iter()
        .chain(case_nodes.iter())
        .map(|n| n.id.clone())
        .collect();
    // An entity whose holder was filtered out links to the case instead.
    let edges: BTreeSet<LinkEdge> = edges
        .into_iter()
        .filter(|e| present.contains(&e.source))
        .map(|e| {
            if present.contains(&e.target) {
                e
            } else {
                LinkEdge {
                    target: format!("c:{}", e.case_id),
                    kind: EdgeKind::EntityCase,
                    ..e
                }
            }
        })
        .filter(|e| present.contains(&e.target))
        .collect();
    case_nodes.append(&mut nodes);
    let values = if reveal {
        values.retain(|k, _| present.contains(k));
        values
    } else {
        HashMap::new()
    };
    (
        LinkGraph {
            cases,
            nodes: case_nodes,
            edges: edges.into_iter().collect(),
            shared,
        },
        Revealed { values },
    )
}

/// Distinct texts in their first order, joined by " / ".
fn unique(items: impl Iterator<Item = String>) -> String {
    let mut seen = BTreeMap::new();
    for (i, s) in items.enumerate() {
        seen.entry(s).or_insert(i);
    }
    let mut v: Vec<(usize, String)> = seen.into_iter().map(|(s, i)| (i, s)).collect();
    v.sort();
    v.into_iter()
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join(" / ")
}
