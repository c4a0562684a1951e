//! Page objects: what a person does on each screen, in the words of the
//! screen, so the scenario reads as the story it tests. Every action waits
//! for the state it leads to before it returns.

use super::webdriver::Driver;

pub fn tid(id: &str) -> String {
    format!("[data-testid='{id}']")
}

/// The first screens of a new laptop: a new vault and its recovery code.
pub struct FirstRun<'a>(pub &'a Driver);

impl FirstRun<'_> {
    /// Creates the vault in English; returns the recovery code it shows.
    pub fn create_vault(&self, passphrase: &str) -> String {
        self.create_vault_in("en", "Choose your language", passphrase)
    }

    /// Picks the language first (`lang`, whose screen then says `heading`),
    /// then creates the vault; returns the recovery code it shows.
    pub fn create_vault_in(&self, lang: &str, heading: &str, passphrase: &str) -> String {
        let d = self.0;
        d.click(&tid(&format!("first-language-{lang}")));
        d.wait_text("#choose-language-h", heading, |t| t == heading);
        d.screenshot(&format!("00-language-{lang}"));
        d.click(&tid("language-continue"));
        d.type_into(&tid("passphrase"), passphrase);
        d.type_into(&tid("passphrase-confirm"), passphrase);
        d.screenshot("01-create-vault");
        d.click(&tid("create-vault"));
        let code = self.recovery_code();
        d.screenshot("02-recovery-code");
        code
    }

    /// The recovery code on screen.
    pub fn recovery_code(&self) -> String {
        self.0
            .wait_text(&tid("recovery-code"), "a recovery code", |c| c.len() >= 30)
    }

    /// Confirms the code is written down; the team step follows.
    pub fn confirm_recovery_code(&self) {
        self.0.click(&tid("recovery-confirm"));
        self.0.click(&tid("continue"));
        self.0.find(&tid("mode-join"));
    }
}

/// Chooses the interface language (`en`, `ru`, `uz`) in the settings and
/// waits for the case list's name in it (`cases`).
pub fn choose_language(d: &Driver, lang: &str, cases: &str) {
    d.click(&tid("nav-settings"));
    d.script(
        "const s = document.querySelector(\"[data-testid='settings-language']\"); s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
        serde_json::json!([lang]),
    );
    d.click(&tid("settings-save"));
    d.wait_text(&tid("nav-cases"), cases, |t| t.contains(cases));
}

/// Chooses the option `value` of the select at `css`, as picking it does
/// (the form hears the change).
pub fn choose(d: &Driver, css: &str, value: &str) {
    d.find(&format!("{css} option[value='{value}']"));
    d.script(
        "const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change'));",
        serde_json::json!([css, value]),
    );
}

/// Locking and the unlock screen.
pub struct LockScreen<'a>(pub &'a Driver);

impl LockScreen<'_> {
    pub fn lock(&self) {
        self.0.click(&tid("lock"));
        self.0.find(&tid("unlock-passphrase"));
    }

    /// Tries a passphrase and waits for the refusal.
    pub fn unlock_refused(&self, passphrase: &str) -> String {
        let d = self.0;
        d.type_into(&tid("unlock-passphrase"), passphrase);
        d.click(&tid("unlock"));
        d.wait_text(&tid("error-message"), "an error", |t| !t.is_empty())
    }

    /// Unlocks and waits for `then` (a selector of the screen that follows).
    pub fn unlock(&self, passphrase: &str, then: &str) {
        let d = self.0;
        d.type_into(&tid("unlock-passphrase"), passphrase);
        d.click(&tid("unlock"));
        d.find(then);
    }
}

/// Joining a team from a device without one.
pub struct JoinTeam<'a>(pub &'a Driver);

impl JoinTeam<'_> {
    /// Writes the join request to `path`; returns the fingerprint the screen
    /// shows for the admin to compare.
    pub fn write_request(&self, name: &str, device: &str, path: &str) -> String {
        let d = self.0;
        d.click(&tid("mode-join"));
        d.type_into(&tid("member-name"), name);
        d.type_into(&tid("device-label"), device);
        d.type_into(&tid("join-request-path"), path);
        d.click(&tid("write-join-request"));
        d.wait_text(&tid("join-fingerprint"), "the device fingerprint", |t| {
            !t.trim().is_empty()
        })
    }

    /// Accepts the admin's package, checked against the team fingerprint
    /// read out by the admin; waits for the app's navigation.
    pub fn accept(&self, package: &str, team_fingerprint: &str) {
        let d = self.0;
        d.type_into(&tid("join-team-id"), team_fingerprint);
        d.type_into(&tid("join-package-path"), package);
        d.screenshot("03b-join-team");
        d.click(&tid("accept-join"));
        d.find(&tid("nav-cases"));
    }
}

/// The case list.
pub struct Cases<'a>(pub &'a Driver);

impl<'a> Cases<'a> {
    pub fn open(&self) {
        self.0.click(&tid("nav-cases"));
    }

    pub fn create(&self, reference: &str, title: &str, jurisdiction: &str) {
        let d = self.0;
        self.open();
        d.click(&tid("new-case"));
        d.type_into(&tid("case-reference"), reference);
        d.type_into(&tid("case-title"), title);
        d.type_into(&tid("case-jurisdiction"), jurisdiction);
        d.click(&tid("create-case"));
        d.wait_for_text(reference);
    }

    /// Opens the first case and waits for its view.
    pub fn open_first(&self, shows: &str) -> CaseScreen<'a> {
        self.open();
        self.0.click(&tid("case-row"));
        self.0.wait_for_text(shows);
        CaseScreen(self.0)
    }
}

/// One case, by tab.
pub struct CaseScreen<'a>(pub &'a Driver);

impl CaseScreen<'_> {
    pub fn tab(&self, name: &str) {
        self.0.click(&tid(&format!("tab-{name}")));
    }

    /// Adds a victim by pseudonym, name, birth date as typed and age when
    /// trafficked; the list shows the pseudonym only.
    pub fn add_victim(&self, pseudonym: &str, full_name: &str, birth_date: &str, age: u8) {
        let d = self.0;
        self.tab("people");
        d.click(&tid("add-person"));
        d.type_into(&tid("person-pseudonym"), pseudonym);
        d.type_into(&tid("person-full-name"), full_name);
        d.type_into(&tid("person-birth-date"), birth_date);
        d.type_into(&tid("person-age"), &age.to_string());
        d.click(&tid("save-person"));
        d.find(&tid("person-row"));
    }

    /// Adds an item seized by `seized_by` (its holder until handed over),
    /// and hands it over to `to` today at `time`, as typed: the form offers
    /// the holder as the giver and asks before it records, for a hand-over
    /// is final.
    pub fn seize_and_hand_over(&self, label: &str, seized_by: &str, to: &str, time: &str) {
        let d = self.0;
        self.tab("evidence");
        d.click(&tid("add-evidence"));
        d.type_into(&tid("evidence-label"), label);
        d.type_into(&tid("evidence-seized-by"), seized_by);
        d.click(&tid("save-evidence"));
        d.wait_text_eq(&tid("evidence-holder"), seized_by);
        d.click(&tid("custody-transfer"));
        d.type_into(&tid("custody-to"), to);
        d.type_into(&tid("custody-place"), "Almaty");
        d.type_into(&tid("custody-time"), time);
        d.click(&tid("save-custody"));
        d.find(&tid("custody-confirm-summary"));
        d.screenshot("14-custody-confirm");
        d.click(&tid("custody-confirm"));
        d.wait_text_eq(&tid("evidence-holder"), to);
    }

    /// Adds a suspect by pseudonym and name; waits for their card.
    pub fn add_suspect(&self, pseudonym: &str, full_name: &str) {
        let d = self.0;
        self.tab("people");
        d.click(&tid("add-person"));
        choose(d, &tid("person-kind"), "suspect");
        d.type_into(&tid("person-pseudonym"), pseudonym);
        d.type_into(&tid("person-full-name"), full_name);
        d.click(&tid("save-person"));
        d.wait_for_text(pseudonym);
    }

    /// Brings a charge against the suspect `person` (their id) under the
    /// offered article `article`, part `part`, on `date` as typed; waits
    /// for its row to show `shows`.
    pub fn charge(&self, person: &str, article: &str, part: &str, date: &str, shows: &str) {
        let d = self.0;
        self.tab("court");
        d.click(&tid("add-charge"));
        choose(d, &tid("charge-person"), person);
        choose(d, &tid("charge-article"), article);
        d.type_into(&tid("charge-part"), part);
        d.type_into(&tid("charge-date"), date);
        d.click(&tid("charge-save"));
        d.wait_text(&tid("charge-row"), shows, |t| t.contains(shows));
    }

    /// Adds a hearing on `date` (as typed) at `court`, with the victim's
    /// testimony by video link granted and their safety reviewed; waits
    /// for its row to show the measure.
    pub fn add_hearing(&self, date: &str, court: &str, measure_shown: &str) {
        let d = self.0;
        self.tab("court");
        d.click(&tid("add-hearing"));
        d.type_into(&tid("hearing-date"), date);
        d.type_into(&tid("hearing-court"), court);
        choose(d, &tid("hearing-measure-video_link"), "granted");
        d.click(&tid("hearing-safety"));
        d.click(&tid("hearing-save"));
        d.wait_text(&tid("hearing-row"), measure_shown, |t| {
            t.contains(measure_shown)
        });
        d.screenshot("17-court");
    }

    /// Reveals the first person (audited) and waits for `full_name`.
    pub fn reveal_first(&self, full_name: &str) {
        self.0.click(&tid("reveal"));
        self.0.wait_text_eq(&tid("identity-full-name"), full_name);
    }

    /// Corrects the first person: an identity field typed without the old
    /// value being shown, and their citizenship; waits for the card to
    /// show the citizenship (the identity stays masked).
    pub fn edit_first_person(&self, other_names: &str, citizenship: &str) {
        let d = self.0;
        d.click(&tid("edit-person"));
        d.find(&tid("edit-record-dialog"));
        d.type_into(&tid("edit-record-identity-other_names"), other_names);
        d.type_into(&tid("edit-record-citizenships"), citizenship);
        d.screenshot("15-person-edit");
        d.click(&tid("edit-record-save"));
        d.wait_gone(&tid("edit-record-dialog"));
        d.wait_text_eq(&tid("person-citizenship"), citizenship);
    }

    /// Reveals the first person (audited) and waits for their other names.
    pub fn reveal_first_other_names(&self, other_names: &str) {
        self.0.click(&tid("reveal"));
        self.0
            .wait_text_eq(&tid("identity-other-names"), other_names);
    }

    /// Opens the first person's history and waits for its last two
    /// entries: `by` changed the identity field (shown as changed only) and
    /// then the citizenship to `citizenship`.
    pub fn first_person_history(&self, by: &str, citizenship: &str, hidden: &str) {
        let d = self.0;
        d.click(&tid("person-history"));
        let last = format!("{}:last-child", tid("history-entry"));
        let before = format!("{}:nth-last-child(2)", tid("history-entry"));
        d.wait_text_eq(
            &format!("{last} {}", tid("history-value-citizenship")),
            citizenship,
        );
        d.wait_text_eq(&format!("{last} {}", tid("history-who")), by);
        d.wait_text_eq(
            &format!("{before} {}", tid("history-value-identity-other_names")),
            hidden,
        );
        d.screenshot("16-person-history");
    }

    /// Ticks the first checklist item; marks the second not applicable.
    pub fn work_checklist(&self, na_reason: &str) -> u64 {
        let d = self.0;
        self.tab("checklists");
        d.click(&format!("{} {}", tid("checklist-item"), tid("item-done")));
        // The list reloads once the tick is stored: the next click waits
        // for that, or the reload may close the dialog it opens.
        d.find(&format!("{}[data-status='done']", tid("checklist-item")));
        let items = d.script(
            "return document.querySelectorAll(\"[data-testid='checklist-item']\").length",
            serde_json::json!([]),
        );
        // Whether a child may be involved, answered: an adult, by their
        // passport.
        d.click(&format!(
            "{}[data-template-id='intake'][data-item-id='child-possible'] {}",
            tid("checklist-item"),
            tid("item-na")
        ));
        d.type_into(&tid("na-reason"), na_reason);
        d.click(&tid("na-save"));
        d.wait_for_text(na_reason);
        items.as_u64().unwrap_or(0)
    }

    /// Keeps the value `author` wrote in the conflict banner.
    pub fn keep_conflict_value_of(&self, author: &str, value: &str) {
        let d = self.0;
        d.find(&tid("conflicts-banner"));
        d.screenshot("10-conflict");
        d.click(&format!(
            "{}[data-author-name='{author}']",
            tid("conflict-keep")
        ));
        d.wait_for_text(value);
        d.wait_gone(&tid("conflicts-banner"));
    }
}

/// The sync centre: bundles by file, and sync on this network.
pub struct SyncCentre<'a>(pub &'a Driver);

impl SyncCentre<'_> {
    /// Exports a bundle for the member with id `member` to `path`.
    pub fn export_for(&self, member: &str, path: &str) {
        let d = self.0;
        d.click(&tid("nav-sync"));
        d.type_into(&tid("export-path"), path);
        d.script(
            "const s = document.querySelector(\"[data-testid='export-member']\"); s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
            serde_json::json!([member]),
        );
        d.click(&tid("export-bundle"));
        d.wait_text(&tid("export-result"), "the written bundle", |t| {
            !t.is_empty()
        });
        d.screenshot("08-sync-centre");
    }

    /// Imports the bundle at `path`; returns the summary's text.
    pub fn import(&self, path: &str) -> String {
        let d = self.0;
        d.click(&tid("nav-sync"));
        d.type_into(&tid("import-path"), path);
        d.click(&tid("import-bundle"));
        let summary = d.wait_text(&tid("import-summary"), "the import's summary", |t| {
            !t.is_empty()
        });
        d.screenshot("09-import-summary");
        summary
    }

    /// Starts syncing on this network; returns the address it shows for
    /// another laptop to type.
    pub fn start_lan(&self) -> String {
        let d = self.0;
        d.click(&tid("nav-sync"));
        d.click(&tid("lan-start"));
        let address = d.wait_text(&tid("lan-address"), "the address to reach it", |t| {
            t.contains(':')
        });
        d.find(&tid("lan-stop"));
        d.screenshot("15-lan-running");
        address
    }

    /// Stops syncing on this network.
    pub fn stop_lan(&self) {
        let d = self.0;
        d.click(&tid("lan-stop"));
        d.find(&tid("lan-start"));
        d.wait_gone(&tid("lan-address"));
        d.screenshot("16-lan-stopped");
    }
}
