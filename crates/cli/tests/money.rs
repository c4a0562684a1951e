//! The money of a case from the command line: a transfer and a wallet
//! whose numbers stay masked until an audited reveal, and the totals per
//! currency with what is frozen.

use crate::common::*;

#[test]
fn a_transfer_and_a_wallet_are_recorded_totalled_and_the_number_shows_only_when_revealed() {
    let t = team();
    let inv = &t.inv;
    let case = new_case(inv, "2026-051");
    let boss = inv.json(&person_add(&case, "suspect", "S-1", "Rustam K.", &[]));
    let boss = boss["id"].as_str().unwrap().to_string();
    let account = "KZ86 125K ZT50 0410 0100";
    let id = inv.json(&[
        "money",
        "add",
        &case,
        "--kind",
        "transfer",
        "--from",
        "Almaty site office",
        "--to-person",
        &boss,
        "--institution",
        "Kaspi Bank",
        "--account",
        account,
        "--amount",
        "450000",
        "--currency",
        "kzt",
        "--date",
        "2026-09-30",
        "--source",
        "bank_records",
        "--freeze",
        "frozen",
        "--ordered",
        "2026-10-05",
    ]);
    let id = id["id"].as_str().unwrap().to_string();
    inv.ok(&[
        "money",
        "add",
        &case,
        "--kind",
        "account",
        "--from-person",
        &boss,
        "--institution",
        "Binance",
        "--account",
        "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
        "--amount",
        "1200",
        "--currency",
        "USD",
        "--source",
        "seized_device",
        "--freeze",
        "seized",
    ]);

    let shown = inv.ok(&["money", "show", &case]);
    assert!(shown.contains("Kaspi Bank"), "{shown}");
    assert!(shown.contains("450000 KZT"), "{shown}");
    assert!(shown.contains("frozen (2026-10-05)"), "{shown}");
    assert!(shown.contains("(masked)"), "{shown}");
    assert!(
        !shown.contains("ZT50") && !shown.contains("bc1q"),
        "{shown}"
    );
    let view = inv.json(&["money", "show", &case]);
    assert!(!view.to_string().contains("ZT50"));
    assert_eq!(view["flows"][0]["to"]["label"], "S-1");
    assert_eq!(view["totals"][0]["currency"], "KZT");
    assert_eq!(view["totals"][0]["held"], 450000);
    assert_eq!(view["totals"][1]["held"], 1200);
    assert!(
        !inv.json(&["case", "show", &case])
            .to_string()
            .contains("ZT50")
    );

    let revealed = inv.json(&["money", "reveal", &case, &id]);
    assert_eq!(revealed["value"], account);
    assert_logged(&inv.json(&["audit", "log"]), "finance.reveal");

    // A transfer with no recipient, a currency by its name, an unknown kind.
    let (_, err) = inv.fail(&[
        "money",
        "add",
        &case,
        "--kind",
        "transfer",
        "--from",
        "X",
        "--amount",
        "5",
        "--currency",
        "KZT",
    ]);
    assert!(err.contains("received"), "{err}");
    let (_, err) = inv.fail(&[
        "money",
        "add",
        &case,
        "--kind",
        "asset",
        "--from",
        "X",
        "--amount",
        "5",
        "--currency",
        "tenge",
    ]);
    assert!(err.contains("ISO 4217"), "{err}");
    let (code, _) = inv.fail(&["money", "add", &case, "--kind", "barter", "--from", "X"]);
    assert_eq!(code, 2);
}
