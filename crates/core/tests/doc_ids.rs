//! Finding 7 of the trust review: a crafted case id could land a case's
//! changes in the team document's storage (32 zeros), or two spellings of
//! one id (upper- and lower-case hex) could share a document.

use caravan_core::vault::DocId;
use caravan_core::workspace::doc_id_for;

fn check(name: &str, expect: Expect) {
    let id = doc_id_for(name);
    match expect {
        Expect::Team => assert_eq!(id, DocId::TEAM, "{name}"),
        Expect::Itself => assert_eq!(id.to_hex(), name, "{name}"),
        Expect::HashedNot(other) => {
            assert_ne!(id, DocId::TEAM, "{name} must not reach the team document");
            assert_ne!(
                id,
                doc_id_for(other),
                "{name} must not share {other}'s document"
            );
            assert_ne!(id.to_hex(), name.to_lowercase(), "{name} must be hashed");
        }
    }
}

enum Expect {
    Team,
    Itself,
    HashedNot(&'static str),
}

#[test]
fn finding_7_case_ids_never_alias_another_document() {
    use Expect::*;
    let lower = "0123456789abcdef0123456789abcdef";
    check("team", Team);
    check(lower, Itself);
    check("00000000000000000000000000000000", HashedNot("team"));
    check("0123456789ABCDEF0123456789ABCDEF", HashedNot(lower));
    check("0123456789Abcdef0123456789abcdef", HashedNot(lower));
    check("case-00001", HashedNot("team"));
    check("Team", HashedNot("team"));
}
