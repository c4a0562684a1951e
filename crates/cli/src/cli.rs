//! The command-line model (clap). Names here are part of the contract:
//! scripts and docs/cli.md rely on them.

use std::path::PathBuf;

use caravan_core::model::{CaseStatus, Decision, Role, Stage};
use caravan_core::{
    CaseLinkInput, CustodyInput, EventInput, EvidenceInput, GroupInput, IdentifierInput,
    InternationalRequestInput, InterviewInput, NewCaseInput, PersonInput, TaskInput,
};
use clap::{Args, Parser, Subcommand};

use crate::i18n::Lang;

mod court;
pub use court::CourtCmd;
mod support;
pub use support::SupportCmd;
mod money;
pub use money::MoneyCmd;
mod export;
pub use export::{ExportCmd, LinkArgs};

pub const EXIT_HELP: &str = "\
Exit codes:
  0  success
  1  any other failure (disk, storage, internal)
  2  usage error (unknown command, missing or malformed argument)
  3  wrong passphrase or recovery code
  4  the vault is in use by another process
  5  input rejected (invalid value, not permitted, not found, ambiguous)
  6  verification failed (bad signature, tampered or damaged data)

Environment:
  CARAVAN_VAULT           vault folder (same as --vault)
  CARAVAN_PASSPHRASE      passphrase (instead of the prompt)
  CARAVAN_NEW_PASSPHRASE  new passphrase for `caravan passphrase change`
  CARAVAN_LANG            language of messages (same as --lang): en, ru, kk, ky,
                          tg, tk, uz-Latn (or uz), uz-Cyrl";

/// Caravan: an offline-first encrypted case tracker for trafficking-in-persons investigations.
#[derive(Debug, Parser)]
#[command(name = "caravan", version, after_help = EXIT_HELP, propagate_version = true)]
pub struct Cli {
    /// Vault folder [default: <platform data folder>/Caravan/vault]
    #[arg(
        long,
        global = true,
        env = "CARAVAN_VAULT",
        hide_env_values = true,
        value_name = "DIR"
    )]
    pub vault: Option<PathBuf>,

    /// Read the passphrase from the first line of FILE
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,

    /// Print one JSON document on stdout instead of tables
    #[arg(long, global = true)]
    pub json: bool,

    /// Language of messages (a text the language lacks is shown in Russian, else in English)
    #[arg(
        long,
        global = true,
        env = "CARAVAN_LANG",
        hide_env_values = true,
        default_value = "en",
        ignore_case = true,
        value_name = "LANG"
    )]
    pub lang: Lang,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a vault on this device and found a team (you become its admin)
    Init {
        /// Team name
        #[arg(long)]
        team: String,
        /// Your name as the team sees it
        #[arg(long)]
        name: String,
        /// A label for this device, e.g. "office laptop"
        #[arg(long, default_value = "laptop")]
        device: String,
    },
    /// Join a team: write a request, then accept the admin's package
    #[command(subcommand)]
    Join(JoinCmd),
    /// Members, devices, roles and case access
    #[command(subcommand)]
    Team(TeamCmd),
    /// Open, list, show and edit cases
    #[command(subcommand)]
    Case(CaseCmd),
    /// Victims, suspects and witnesses
    #[command(subcommand)]
    Person(PersonCmd),
    /// The manual's checklists in a case
    #[command(subcommand)]
    Checklist(ChecklistCmd),
    /// Evidence items and their chain of custody
    #[command(subcommand)]
    Evidence(EvidenceCmd),
    /// Store a file in the vault (encrypted); prints its SHA-256
    Attach {
        case: String,
        file: PathBuf,
        /// Record the file's SHA-256 on this evidence item
        #[arg(long, value_name = "ID")]
        evidence: Option<String>,
    },
    /// Interviews (PEACE)
    #[command(subcommand)]
    Interview(InterviewCmd),
    /// Tasks with assignees and due dates
    #[command(subcommand)]
    Task(TaskCmd),
    /// Case notes
    #[command(subcommand)]
    Note(NoteCmd),
    /// Requests to other states: MLA, extradition, JIT, INTERPOL notices
    #[command(subcommand)]
    Abroad(AbroadCmd),
    /// Events of the route: recruitment, transit, exploitation, with places and border crossings
    #[command(subcommand)]
    Event(EventCmd),
    /// Phone numbers, IMEIs, e-mail addresses, accounts and websites (values masked)
    #[command(subcommand)]
    Identifier(IdentifierCmd),
    /// Organised groups: members, roles and who answers to whom
    #[command(subcommand)]
    Group(GroupCmd),
    /// The court phase: procedural statuses, measures, charges, indictment, hearings, verdicts
    #[command(subcommand)]
    Court(CourtCmd),
    /// A victim's support plan (HTCDS support types), reflection period and return
    #[command(subcommand)]
    Support(SupportCmd),
    /// The money: accounts, transfers (bank, cash, informal, crypto), assets, freezes and confiscations
    #[command(subcommand)]
    Money(MoneyCmd),
    /// Fields edited concurrently on two devices
    Conflicts {
        /// Only this case
        case: Option<String>,
        /// Show masked identity values (audited)
        #[arg(long)]
        reveal: bool,
    },
    /// Decide a conflict by keeping one value
    Resolve {
        case: String,
        /// Field path, e.g. header/title
        path: String,
        /// The choice id shown by `caravan conflicts`
        choice: String,
    },
    /// Prosecutor's review: comments, requests, sign-offs
    #[command(subcommand)]
    Review(ReviewCmd),
    /// Record a supervisor's decision
    Approve {
        case: String,
        /// What is decided, e.g. "interview plan"
        #[arg(long)]
        subject: String,
        #[arg(long, default_value = "approved")]
        decision: Decision,
        /// Approve this stage's gate
        #[arg(long)]
        stage: Option<Stage>,
        #[arg(long)]
        comment: Option<String>,
    },
    /// Reports across cases
    #[command(subcommand)]
    Report(ReportCmd),
    /// Exchange changes with other members: by file, on this network, through a relay
    #[command(subcommand)]
    Sync(SyncCmd),
    /// The team's relays: register one (admin), list, remove
    #[command(subcommand)]
    Relay(RelayCmd),
    /// The hash-chained audit log
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Change the vault passphrase
    #[command(subcommand)]
    Passphrase(PassphraseCmd),
    /// Tell a made-up story on fresh demo vaults
    Demo {
        #[arg(long, default_value = "./caravan-demo")]
        dir: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// People, phones, documents, accounts and organisations that appear in several of the cases you may see (values masked)
    Links {
        #[command(flatten)]
        links: LinkArgs,
        /// Every node and link of the graph, not only what cases share (with --json: the whole graph)
        #[arg(long)]
        all: bool,
    },
    /// Print a shell completion script
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (or write all pages to --out DIR)
    Man {
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Write files for others from the cases: GeoJSON of the routes, i2 files of the link analysis, anonymised statistics (htcds)
    #[command(subcommand)]
    Export(ExportCmd),
    /// The court dossier of a case: a PDF/A document in the language of
    /// --lang, bound to the case's state; `dossier verify FILE` checks a copy
    Dossier(DossierArgs),
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct DossierArgs {
    #[command(subcommand)]
    pub check: Option<DossierCmd>,
    /// The case (its id, or the start of it)
    #[arg(required = true)]
    pub case: Option<String>,
    /// The PDF file to write (a new file)
    #[arg(long, value_name = "FILE", required = true)]
    pub out: Option<PathBuf>,
    /// Show people's identities rather than their pseudonyms (audited)
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Subcommand)]
pub enum DossierCmd {
    /// Check that a dossier matches this vault's case as of the state it was made from
    Verify {
        /// The dossier's PDF file
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum JoinCmd {
    /// Create a vault (if missing) and write this device's join request
    Request {
        /// Your name as the team will see it
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "laptop")]
        device: String,
        /// Write the request here instead of stdout
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Open the admin's join package and join the team
    Accept {
        package: PathBuf,
        /// The team fingerprint the admin reads out from their screen (six
        /// groups of five digits; `caravan team members` shows it), or the
        /// team id. A package for another team is refused
        #[arg(long, visible_alias = "team-id", value_name = "FINGERPRINT")]
        team: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RelayCmd {
    /// Add a relay to the team (or give it a new address) and send it the team's roster (admin)
    Register {
        /// The relay's address: ws://host:port or wss://host (host:port means wss://)
        #[arg(long)]
        url: String,
        /// The relay's public key, as `caravan-relay` prints it (64 hex digits)
        #[arg(long)]
        key: String,
    },
    /// The team's relays, with this device's last sync through each
    List,
    /// Remove a relay from the team (admin)
    Remove {
        /// The relay's key
        key: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TeamCmd {
    /// Approve a join request (admin); writes the join package
    Approve {
        /// A request file, or the request text itself
        request: String,
        #[arg(long)]
        role: Role,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// List members and their devices
    Members,
    /// Revoke a device (id prefix) or every device of a member (admin)
    Revoke {
        who: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Let a member see a case, or withdraw it with --revoke
    Grant {
        case: String,
        member: String,
        #[arg(long)]
        revoke: bool,
    },
    /// Change a member's role (admin)
    Role { member: String, role: Role },
}

#[derive(Debug, Subcommand)]
pub enum CaseCmd {
    /// Open a new case
    New(NewCaseInput),
    /// List cases, with filters
    List(ListArgs),
    /// Show a case (people masked)
    Show { case: String },
    /// Set one field, e.g. header/title or victims/<id>/status
    Edit {
        case: String,
        path: String,
        value: String,
        /// Collaborative text field (narrative, notes/<id>/body, interviews/<id>/plan)
        #[arg(long)]
        text: bool,
    },
    /// Open or close a stage
    Stage {
        #[arg(value_parser = ["open", "close"])]
        action: String,
        case: String,
        stage: Stage,
    },
    /// Close the case
    Close {
        case: String,
        #[arg(long, default_value = "closed")]
        status: CaseStatus,
    },
    /// Assign an investigator (or remove with --remove)
    Assign {
        case: String,
        member: String,
        #[arg(long)]
        remove: bool,
    },
    /// Add a criminal-code article to the legal qualification, e.g.
    /// KZ-2014-128 --part 3 --paragraph 2 for п. 2 ч. 3 ст. 128 (remove one
    /// with --remove and the key `case show` lists); as the prosecutor,
    /// --agree with the qualification or --propose an article; without an
    /// article, list the articles offered for the case's jurisdiction
    Qualify {
        case: String,
        article: Option<String>,
        /// The part (ч.) of the article
        #[arg(long)]
        part: Option<String>,
        /// The paragraph (п.) of the part
        #[arg(long)]
        paragraph: Option<String>,
        #[arg(long, conflicts_with_all = ["agree", "propose"])]
        remove: bool,
        /// As the prosecutor: agree with the qualification as it stands
        #[arg(long, conflicts_with = "propose")]
        agree: bool,
        /// As the prosecutor: propose the article instead of adding it
        #[arg(long)]
        propose: bool,
        /// The prosecutor's comment with --agree or --propose
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Link the case to another case this device holds (`--to`, an id or
    /// id prefix), e.g. the same suspect seen in both
    Link {
        case: String,
        #[command(flatten)]
        link: CaseLinkInput,
    },
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Search titles, references and names in any alphabet
    #[arg(long)]
    pub search: Option<String>,
    #[arg(long)]
    pub stage: Option<Stage>,
    #[arg(long)]
    pub status: Option<CaseStatus>,
    /// Member id, id prefix or name
    #[arg(long)]
    pub assignee: Option<String>,
    #[arg(long)]
    pub jurisdiction: Option<String>,
    /// Only cases with overdue tasks or international requests
    #[arg(long)]
    pub overdue: bool,
}

#[derive(Debug, Subcommand)]
pub enum PersonCmd {
    /// Add a victim, suspect or witness
    Add(Box<PersonArgs>),
    /// Show a person's identity (written to the audit log)
    Reveal { case: String, person: String },
}

#[derive(Debug, Args)]
pub struct PersonArgs {
    pub case: String,
    #[command(flatten)]
    pub person: PersonInput,
}

#[derive(Debug, Subcommand)]
pub enum ChecklistCmd {
    /// Show the case's checklists (texts in --lang)
    Show {
        case: String,
        #[arg(long)]
        stage: Option<Stage>,
    },
    /// Tick an item done (or --na REASON, or --open)
    Tick {
        case: String,
        template: String,
        item: String,
        /// The victim whose checklist it is (for a template kept per victim)
        #[arg(long, value_name = "ID")]
        person: Option<String>,
        /// Mark not applicable, with the reason
        #[arg(long, value_name = "REASON", conflicts_with = "open")]
        na: Option<String>,
        /// Reopen the item
        #[arg(long)]
        open: bool,
        #[arg(long)]
        note: Option<String>,
        /// Link an evidence item (repeatable)
        #[arg(long, value_name = "ID")]
        evidence: Vec<String>,
        /// Link an interview (repeatable)
        #[arg(long, value_name = "ID")]
        interview: Vec<String>,
    },
    /// Sign off an item that needs your role
    Signoff {
        case: String,
        template: String,
        item: String,
        /// The victim whose checklist it is (for a template kept per victim)
        #[arg(long, value_name = "ID")]
        person: Option<String>,
    },
    /// Start following a template the case does not have yet; a template
    /// kept per victim is started for a victim (--person or --every-victim)
    Start {
        case: String,
        template: String,
        /// The victim to start it for
        #[arg(long, value_name = "ID", conflicts_with = "every_victim")]
        person: Option<String>,
        /// Start it for every victim who has not got it yet
        #[arg(long)]
        every_victim: bool,
    },
    /// Move a checklist to the newest template version
    Adopt {
        case: String,
        template: String,
        /// The victim whose checklist it is (for a template kept per victim)
        #[arg(long, value_name = "ID")]
        person: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCmd {
    /// Add an evidence item
    Add {
        case: String,
        #[command(flatten)]
        evidence: EvidenceInput,
    },
    /// Record a hand-over in the chain of custody (final: it is never
    /// edited or removed)
    Transfer {
        case: String,
        evidence: String,
        #[command(flatten)]
        transfer: CustodyInput,
    },
    /// Write the file attached to an evidence item to a new file, decrypted
    Export {
        case: String,
        evidence: String,
        /// The file to write
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum InterviewCmd {
    /// Plan an interview with a person
    Add {
        case: String,
        #[command(flatten)]
        interview: InterviewInput,
    },
}

#[derive(Debug, Subcommand)]
pub enum TaskCmd {
    /// Add a task
    Add {
        case: String,
        #[command(flatten)]
        task: TaskInput,
    },
    /// Mark a task done (or open again with --undo)
    Done {
        case: String,
        task: String,
        #[arg(long)]
        undo: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AbroadCmd {
    /// Record a request to another state
    Add {
        case: String,
        #[command(flatten)]
        request: InternationalRequestInput,
    },
}

#[derive(Debug, Subcommand)]
pub enum EventCmd {
    /// Record an event of the route, e.g. a border crossing with its coordinates
    Add {
        case: String,
        #[command(flatten)]
        event: Box<EventInput>,
    },
}

#[derive(Debug, Subcommand)]
pub enum IdentifierCmd {
    /// Record a phone number, IMEI, e-mail address, account or website
    Add {
        case: String,
        #[command(flatten)]
        identifier: IdentifierInput,
    },
    /// Show an identifier's value (recorded in the audit log)
    Reveal { case: String, identifier: String },
}

#[derive(Debug, Subcommand)]
pub enum GroupCmd {
    /// Record an organised group and its members (suspects of the case)
    Add {
        case: String,
        #[command(flatten)]
        group: GroupInput,
    },
    /// Add a suspect to a recorded group, or change their role or superior:
    /// <suspect-id>:<role>[:<superior-id>]
    Member {
        case: String,
        group: String,
        member: caravan_core::GroupMemberInput,
    },
    /// Take a suspect out of a group
    Leave {
        case: String,
        group: String,
        suspect: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum NoteCmd {
    /// Add a note
    Add { case: String, body: String },
}

#[derive(Debug, Subcommand)]
pub enum ReviewCmd {
    /// Comment on the case
    Comment {
        case: String,
        text: String,
        #[arg(long)]
        stage: Option<Stage>,
    },
    /// Request further investigation
    Request {
        case: String,
        text: String,
        #[arg(long)]
        stage: Option<Stage>,
    },
    /// Sign off a stage gate
    Signoff {
        case: String,
        stage: Stage,
        text: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// Cases by stage, completion per case, overdue tasks per investigator
    Progress,
}

#[derive(Debug, Subcommand)]
pub enum SyncCmd {
    /// Write a bundle of changes for a member (or --any member)
    Export {
        /// Member id, id prefix or name
        #[arg(long, required_unless_present = "any", conflicts_with = "any")]
        to: Option<String>,
        /// Only cases every active member may see
        #[arg(long)]
        any: bool,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Verify and import a bundle
    Import { file: PathBuf },
    /// Sync through one of the team's relays: upload what others lack, fetch what waits
    Relay {
        /// The relay: its key or a prefix of it, or its address [default: the team's only relay]
        #[arg(long, value_name = "KEY|URL")]
        relay: Option<String>,
        /// Reach the relay at this address instead of the registered one (its key is still checked)
        #[arg(long, visible_alias = "url", value_name = "URL")]
        via: Option<String>,
        /// Stay connected: sync again when the relay has news or an edit is made; runs the caravan commands read from standard input until it ends
        #[arg(long)]
        watch: bool,
    },
    /// Sync with the team's devices on this network, with no internet
    Lan {
        /// Address to listen on (port 0: any free port)
        #[arg(long, default_value = "0.0.0.0:0", value_name = "ADDR:PORT")]
        listen: std::net::SocketAddr,
        /// Dial this device (address:port shown by `sync lan` on it); repeatable
        #[arg(long, value_name = "ADDR:PORT")]
        connect: Vec<std::net::SocketAddr>,
        /// Neither advertise this device nor look for others (networks that drop multicast)
        #[arg(long)]
        no_discovery: bool,
        /// Stay connected and push edits at once; runs the caravan commands read from standard input until it ends
        #[arg(long)]
        watch: bool,
        /// Without --watch: give up after this many seconds if no session ends
        #[arg(long, default_value_t = 60, value_name = "SECONDS")]
        wait: u64,
    },
    /// Changes held aside after failing a check (list, release, discard)
    Quarantine {
        #[command(subcommand)]
        action: Option<QuarantineCmd>,
    },
}

#[derive(Debug, Subcommand)]
pub enum QuarantineCmd {
    /// List quarantined changes with their reasons (the default)
    List,
    /// Judge a change again with every check; applied if it passes now (supervisor, admin)
    Release {
        /// Change hash or prefix, as the list shows it
        change: String,
        /// Case id or prefix, when the change is listed for two cases
        #[arg(long)]
        case: Option<String>,
    },
    /// Remove a change from the quarantine, recorded in the audit log (supervisor, admin)
    Discard {
        /// Change hash or prefix, as the list shows it
        change: String,
        /// Case id or prefix, when the change is listed for two cases
        #[arg(long)]
        case: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Show the newest entries
    Log {
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Verify the whole hash chain
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum PassphraseCmd {
    /// Set a new passphrase (from CARAVAN_NEW_PASSPHRASE or a prompt)
    Change {
        /// Unlock with the recovery code instead of the passphrase
        #[arg(long, value_name = "CODE")]
        recovery_code: Option<String>,
    },
}
