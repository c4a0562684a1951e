//! The app in a phone-sized window (360×740), in one language from its
//! first screen on: a new vault and team, a case and each of its tabs, a
//! task added and its correction dialog, the sync centre, dashboard, team,
//! settings and the map of routes, and the lock screen. On each
//! screen the page does not scroll sideways and every control a finger
//! must hit is at least 44 px high; a screenshot of each goes beside the
//! others, named `phone-<language>-<screen>.png`.

use std::path::Path;

use serde_json::{Value, json};

use super::pages::tid;
use super::webdriver::{Driver, WAIT};
use crate::util::wait_until;

pub const WIDTH: u32 = 360;
pub const HEIGHT: u32 = 740;

/// The case's tabs, in the order the strip shows them.
const TABS: [&str; 16] = [
    "overview",
    "people",
    "checklists",
    "evidence",
    "interviews",
    "tasks",
    "timeline",
    "referrals",
    "risks",
    "international",
    "network",
    "court",
    "money",
    "notes",
    "review",
    "map",
];

/// What keeps a screen from being used on a phone, as a list of findings
/// (empty when it fits): the page wider than the window, and any visible
/// control lower than 44 px. A box or radio button is hit through its
/// label, so the label is measured.
const FIT: &str = r#"
const found = [];
const w = window.innerWidth;
const sw = document.documentElement.scrollWidth;
if (sw > w) found.push(`the page is ${sw} px wide in a ${w} px window`);
const controls = 'button, a[href], input:not([type=hidden]), select, textarea, summary, [role=tab], [role=button]';
for (const el of document.querySelectorAll(controls)) {
  let target = el;
  if (el.type === 'checkbox' || el.type === 'radio') {
    target = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
  }
  const r = target.getBoundingClientRect();
  // Not shown (display: none, a closed panel) or read out only (sr-only).
  if (r.width <= 1 || r.height <= 1 || getComputedStyle(target).visibility === 'hidden') continue;
  if (r.height < 43.5) {
    const name = el.dataset.testid || el.id || el.getAttribute('aria-label') || (el.textContent || '').trim().slice(0, 30);
    found.push(`${el.tagName.toLowerCase()} "${name}" is ${Math.round(r.height)} px high`);
  }
}
return found;
"#;

/// The interface's text for `key` in `lang`, as the app shows it: from the
/// language's catalogue, else Russian's, else English's.
fn msg(lang: &str, key: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/i18n");
    for l in [lang, "ru", "en"] {
        let Ok(text) = std::fs::read_to_string(dir.join(format!("{l}.json"))) else {
            continue;
        };
        let catalogue: Value = serde_json::from_str(&text).expect("a catalogue is JSON");
        if let Some(m) = catalogue[key].as_str() {
            return m.to_string();
        }
    }
    panic!("no catalogue has {key}")
}

/// One screen on the phone: waits until it fits (the view may still be
/// settling), then takes its screenshot from the top, or with the element
/// matching `at` in the middle.
fn screen(d: &Driver, lang: &str, name: &str, at: Option<&str>) {
    wait_until(
        &format!("the {name} screen to fit a {WIDTH} px wide window"),
        WAIT,
        || {
            let found = d.script(FIT, json!([]));
            found.as_array().is_some_and(Vec::is_empty).then_some(())
        },
        || {
            d.screenshot(&format!("phone-{lang}-{name}-FAILED"));
            format!("found: {}", d.script(FIT, json!([])))
        },
    );
    // From the top: a click may have scrolled the page to its button.
    match at {
        Some(css) => d.script(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'center'})",
            json!([css]),
        ),
        None => d.script("window.scrollTo(0, 0)", json!([])),
    };
    d.screenshot(&format!("phone-{lang}-{name}"));
}

/// The whole round in `lang` on a new vault in `dir`, from the language
/// chosen on the first screen to the lock screen.
pub fn round(app: &Path, display: &str, dir: &Path, lang: &str) {
    let env = [
        ("CARAVAN_VAULT", dir),
        ("CARAVAN_INSECURE_FAST_KDF", Path::new("1")),
    ];
    let d = Driver::start(app, display, &env);
    d.set_window(WIDTH, HEIGHT);
    let shot = |name: &str| screen(&d, lang, name, None);

    // First run: the language, the passphrase, the recovery code, the team.
    d.click(&tid(&format!("first-language-{lang}")));
    d.wait_text_eq("#choose-language-h", &msg(lang, "setup.language.title"));
    shot("language");
    d.click(&tid("language-continue"));
    let passphrase = "a phone-sized passphrase, long";
    d.type_into(&tid("passphrase"), passphrase);
    d.type_into(&tid("passphrase-confirm"), passphrase);
    shot("first-run");
    d.click(&tid("create-vault"));
    d.wait_text(&tid("recovery-code"), "a recovery code", |c| c.len() >= 30);
    shot("recovery-code");
    d.click(&tid("recovery-confirm"));
    d.click(&tid("continue"));
    d.type_into(&tid("team-name"), "Shymkent TIP unit");
    d.type_into(&tid("member-name"), "Dana");
    d.type_into(&tid("device-label"), "phone");
    shot("team-setup");
    d.click(&tid("found-team"));

    // The case list, empty and then with a case made in its dialog.
    d.wait_text_eq(&tid("nav-cases"), &msg(lang, "nav.cases"));
    d.find(&tid("no-cases-yet"));
    shot("no-cases");
    d.click(&tid("new-case"));
    d.type_into(&tid("case-reference"), "KZ-2026-0177");
    d.type_into(
        &tid("case-title"),
        "Recruitment through a travel agency, Shymkent – Istanbul",
    );
    d.type_into(&tid("case-jurisdiction"), "KZ");
    shot("new-case");
    d.click(&tid("create-case"));
    d.find(&tid("case-row"));
    shot("case-list");

    // The case, tab by tab: the strip scrolls, the page does not.
    d.click(&tid("case-row"));
    d.find(&tid("case-title-heading"));
    for tab in TABS {
        d.click(&tid(&format!("tab-{tab}")));
        d.find(&format!("[role='tabpanel'][aria-labelledby='tab-{tab}']"));
        // The tabs that load more than the case: what they load.
        match tab {
            "overview" => d.find(&tid("stage")),
            "checklists" => d.find(&tid("checklist-item")),
            "map" => d.find(&tid("map-view")),
            _ => String::new(),
        };
        shot(&format!("case-{tab}"));
    }

    // A record added from a tab's form, then corrected in its dialog,
    // which fills the screen.
    d.click(&tid("tab-tasks"));
    d.type_into(
        &tid("task-title"),
        "Ask the travel agency for its client list",
    );
    d.click(&tid("add-task"));
    d.find(&tid("task-row"));
    screen(&d, lang, "case-task-added", Some(&tid("task-row")));
    d.click(&tid("edit-task"));
    d.find(&tid("edit-record-dialog"));
    shot("edit-task");
    d.click(".dialog-close");
    d.wait_gone(&tid("edit-record-dialog"));

    // The other screens of the navigation bar: each, by what it shows.
    for (nav, shows, name) in [
        ("nav-sync", "export-bundle", "sync"),
        ("nav-dashboard", "quarantined-count", "dashboard"),
        ("nav-team", "team-id", "team"),
        ("nav-settings", "settings-language", "settings"),
        ("nav-map", "map-view", "map"),
    ] {
        d.click(&tid(nav));
        d.find(&tid(shows));
        shot(name);
    }
    d.click(&tid("lock"));
    d.find(&tid("unlock-passphrase"));
    shot("unlock");
}
