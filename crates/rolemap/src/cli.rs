//! The command line: every flag and argument, parsed into typed values before any work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "rolemap",
    version,
    about = "Role-and-skills frameworks: profiles, self-assessment, gaps, team matrices and job descriptions",
    long_about = None,
)]
pub struct Cli {
    /// The database: a SQLite file (a path, or sqlite:PATH; default: the platform data directory,
    /// e.g. ~/.local/share/rolemap/rolemap.db) or a PostgreSQL server (postgres://USER@HOST/DB).
    #[arg(long, global = true, env = "ROLEMAP_DB", value_name = "PATH|URL")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// A table for people to read.
    #[default]
    Table,
    /// JSON for programs.
    Json,
    /// CSV of the main table.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum JdFormat {
    /// Markdown.
    #[default]
    Md,
    /// A standalone, printable HTML page.
    Html,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum MapFormat {
    /// A table for people to read.
    #[default]
    Table,
    Json,
    Csv,
    /// Graphviz DOT.
    Dot,
    /// A standalone SVG drawing.
    Svg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchType {
    /// Occupations and other roles.
    #[value(alias = "role")]
    Occupation,
    Skill,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceArg {
    #[value(name = "self")]
    SelfAssessed,
    Manager,
    Evidence,
}

#[derive(Debug, Args, Clone, Copy)]
pub struct Output {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database with the built-in operations framework (and, with --demo, a demo team).
    Init {
        /// Also create the demo organisation (fictional people, clearly marked as demo data).
        #[arg(long)]
        demo: bool,
    },
    /// Set up the built-in framework and the demo team, then show a demo gap report.
    ///
    /// With --generate, an invented organisation instead, marked as demo data: PEOPLE people
    /// (keys org-000000 for the head up) in a management tree of directors, units of about
    /// 2,000, managers and team leaders with spans of 2 to 18, each on a role and grade of the
    /// built-in framework, with N assessments each over three years (2024-2026) from
    /// themselves, their manager and evidence. The same seed gives the same organisation on
    /// SQLite and PostgreSQL. Stored in one transaction: all of it or nothing.
    Demo {
        /// Generate an organisation (see above) instead of the small demo team.
        #[arg(long)]
        generate: bool,
        /// How many people to generate.
        #[arg(
            long,
            default_value_t = 100_000,
            requires = "generate",
            value_name = "PEOPLE"
        )]
        people: usize,
        /// How many assessments each generated person has.
        #[arg(long, default_value_t = 50, requires = "generate", value_name = "N")]
        assessments_per_person: usize,
        /// The seed of the generator: the same seed, the same organisation.
        #[arg(long, default_value_t = 1, requires = "generate")]
        seed: u64,
    },
    /// Run the web application and the JSON API (installs the built-in framework if needed).
    Serve {
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080", env = "ROLEMAP_ADDR")]
        addr: std::net::SocketAddr,
        /// Also create the demo team if it is not there yet.
        #[arg(long)]
        demo: bool,
        /// The address users reach the server by, when it is not the one it listens on (behind
        /// a TLS proxy, say https://rolemap.example.org): requests naming another host are
        /// refused, and sign-in through an identity provider returns there.
        #[arg(long, env = "ROLEMAP_PUBLIC_URL", value_name = "URL")]
        public_url: Option<String>,
        /// Delete assessments older than this age (3y, 18m, 6w, 90d) at start and once a day,
        /// each purge audited with its count.
        #[arg(long, env = "ROLEMAP_RETAIN_ASSESSMENTS", value_name = "AGE")]
        retain_assessments: Option<String>,
        #[command(flatten)]
        oidc: OidcArgs,
    },
    /// The audit log: who changed what, when, from where, before and after; newest first.
    Audit {
        /// Only entries about this person (id, key or name).
        #[arg(long)]
        person: Option<String>,
        /// Only what this user did (username).
        #[arg(long)]
        user: Option<String>,
        /// Only this action or those starting with it (person, person.add, assessment).
        #[arg(long, value_name = "PREFIX")]
        action: Option<String>,
        /// From this date or RFC 3339 time on.
        #[arg(long, value_name = "T")]
        since: Option<String>,
        /// Before this date or RFC 3339 time.
        #[arg(long, value_name = "T")]
        until: Option<String>,
        /// At most this many entries.
        #[arg(long)]
        limit: Option<u32>,
        #[command(flatten)]
        output: Output,
    },
    /// List the stored frameworks.
    Frameworks(Output),
    /// List roles.
    Roles {
        /// Only roles of this framework (its key, e.g. odp).
        #[arg(long)]
        framework: Option<String>,
        /// Only roles of this job family (key or name).
        #[arg(long)]
        family: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// List skills.
    Skills {
        #[arg(long)]
        framework: Option<String>,
        /// knowledge, skill, behaviour or capability.
        #[arg(long)]
        kind: Option<String>,
        /// Only skills with this tag (e.g. digital).
        #[arg(long)]
        tag: Option<String>,
        /// Only skills whose label contains this text.
        #[arg(long)]
        search: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// Find roles (occupations) and skills by their labels and descriptions, forgiving typos and
    /// word order; each result names the label it matched.
    Search {
        /// What to look for, e.g. "opertions manger" or "manager ICT operations".
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// Only occupations (roles) or only skills.
        #[arg(long = "type", value_enum, value_name = "TYPE")]
        kind: Option<SearchType>,
        /// Only this framework (its key, e.g. esco or odp).
        #[arg(long)]
        framework: Option<String>,
        /// At most this many results.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=200))]
        limit: u16,
        #[command(flatten)]
        output: Output,
    },
    /// Code a job title as people write it to the roles (occupations) it most likely stands for,
    /// robust to word order, abbreviations (ops, mgr, IT), seniority words and typos: each with
    /// its score and the role's title that matched. With --jsonl, code a file of titles.
    #[command(
        after_help = "Examples:\n  rolemap code-title \"snr IT ops mgr\"\n  rolemap code-title \"Chief operating officer\" --framework standards\n  rolemap code-title --jsonl titles.jsonl codes.jsonl --framework esco\n\nEach line of a --jsonl input is {\"id\": ..., \"title\": \"...\"}; each output line is\n{\"id\": ..., \"matches\": [...]} in the same order. \"-\" reads standard input or writes standard output."
    )]
    CodeTitle {
        /// The job title, e.g. "IT operations manager".
        #[arg(num_args = 0.., required_unless_present = "jsonl", conflicts_with = "jsonl")]
        title: Vec<String>,
        /// Only roles of this framework (its key, e.g. esco or standards).
        #[arg(long)]
        framework: Option<String>,
        /// At most this many roles per title.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=100))]
        limit: u16,
        /// Code every title of the JSON Lines file IN and write the codes to OUT.
        #[arg(long, num_args = 2, value_names = ["IN", "OUT"])]
        jsonl: Option<Vec<PathBuf>>,
        #[command(flatten)]
        output: Output,
    },
    /// The roles most like a role, from the skills they require: each with its score, the score's
    /// components, the skills both require and the skills to gain.
    Similar {
        role: String,
        /// Look the role up in this framework only.
        #[arg(long)]
        framework: Option<String>,
        /// At most this many roles.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=100))]
        limit: u16,
        /// Count skills under the same group of the skills hierarchy (ESCO's) a little.
        #[arg(long)]
        hierarchy: bool,
        /// Also roles of other frameworks, through roles linked as the same kind of role.
        #[arg(long)]
        across: bool,
        #[command(flatten)]
        output: Output,
    },
    /// The best routes from one role to another: each step explained (the skills that transfer,
    /// the skills to gain, levels to raise, up or sideways or down). With --person, start from
    /// their current role and weigh steps by their assessed skills.
    #[command(
        after_help = "Examples:\n  rolemap routes \"Team Leader\" \"Operations Director\"\n  rolemap routes --person aisha-rahman --to \"Operations Manager\"\n  rolemap routes \"ICT operations manager\" \"chief executive officer\" --framework esco --k 5"
    )]
    Routes {
        /// FROM and TO; or, with --to or --person, the one role that is not given otherwise.
        #[arg(num_args = 0..=2, value_name = "ROLE")]
        roles: Vec<String>,
        /// Start from this person's current role and weigh steps by their assessed skills.
        #[arg(long)]
        person: Option<String>,
        /// The role to reach.
        #[arg(long)]
        to: Option<String>,
        /// Look role names up in this framework first.
        #[arg(long)]
        framework: Option<String>,
        /// At most this many steps in a route.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(1..=8))]
        max_steps: u8,
        /// Only steps between roles at least this similar (0 to 1); links a framework names
        /// always count.
        #[arg(long, default_value_t = rolemap_service::DEFAULT_MIN_SIMILARITY)]
        min_similarity: f32,
        /// How many routes, best first.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=20))]
        k: u8,
        #[command(flatten)]
        output: Output,
    },
    /// A role's progression map: the roles most like it and the roles its framework links it to,
    /// in bands above, at and below its level (grades, else stated level, else ISCO skill level).
    Progression {
        role: String,
        /// Look the role up in this framework only.
        #[arg(long)]
        framework: Option<String>,
        /// At most this many similar roles (linked roles come as well).
        #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u16).range(1..=100))]
        limit: u16,
        /// Output format: dot is Graphviz, svg a drawing laid out by rolemap.
        #[arg(long, value_enum, default_value_t = MapFormat::Table)]
        format: MapFormat,
    },
    /// Roles: show one.
    #[command(subcommand)]
    Role(RoleCommand),
    /// Skills: show one.
    #[command(subcommand)]
    Skill(SkillCommand),
    /// Two roles side by side: dimensions, shared skills, skills only in one, levels grade by grade,
    /// and the step from A's top grade to B's entry grade (the levels to raise).
    Compare {
        role_a: String,
        role_b: String,
        /// A's grade for the step from A to B (default: A's top grade).
        #[arg(long)]
        grade_a: Option<String>,
        /// B's grade for the step from A to B (default: B's entry grade).
        #[arg(long)]
        grade_b: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// People: add, show, list.
    #[command(subcommand)]
    Person(PersonCommand),
    /// Builds a large invented team for the team page's benchmark (scripts/bench-team.sh):
    /// PEOPLE people below `bench-head`, with assessments, reviews, goals and an open cycle.
    #[command(hide = true)]
    BenchTeam {
        #[arg(long, default_value_t = 2000)]
        people: usize,
    },
    /// Users who sign in to the web pages and API: add, list, disable, reset-password, token.
    #[command(subcommand)]
    User(UserCommand),
    /// The database itself: migrate, status.
    #[command(subcommand)]
    Db(DbCommand),
    /// Record an assessment of a person's level in a skill. History is kept.
    Assess {
        person: String,
        skill: String,
        /// A level code or name on the skill's scale (e.g. P or Practitioner), or none when
        /// the person does not have the skill (a gap, unlike leaving it unassessed).
        level: String,
        #[arg(long, value_enum, default_value_t = SourceArg::SelfAssessed)]
        source: SourceArg,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        output: Output,
    },
    /// Where a person stands against a role: per skill, readiness, and what to develop first.
    /// With --text, what a CV or advert evidences of a role's requirements, and what it does not.
    Gap {
        /// The person (id, key or name); not with --text.
        #[arg(required_unless_present = "text")]
        person: Option<String>,
        /// The role to measure against (default: the person's own role).
        #[arg(long)]
        target: Option<String>,
        /// The grade (default: the person's grade if the role has it, else the role's lowest).
        #[arg(long)]
        grade: Option<String>,
        /// A text (a CV, a job advert; a file, or - for standard input) to measure against
        /// --target instead of a person's assessments: each requirement evidenced or not, with
        /// the words that evidence it.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["person", "grade"], requires = "target")]
        text: Option<PathBuf>,
        #[command(flatten)]
        output: Output,
    },
    /// A manager's team.
    #[command(subcommand)]
    Team(TeamCommand),
    /// Write a job description from a role profile at a grade.
    Jd {
        role: String,
        #[arg(long)]
        grade: Option<String>,
        #[arg(long, value_enum, default_value_t = JdFormat::Md)]
        format: JdFormat,
    },
    /// Import frameworks or people from files (all or nothing).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write a stored framework in a standard format.
    #[command(subcommand)]
    Export(ExportCommand),
    /// What changed in a framework from one stored version to another: roles, skills,
    /// requirements, levels, scales and grades added, removed and changed, with before and after.
    Diff {
        /// The framework's key (e.g. odp).
        framework: String,
        /// The earlier version.
        from: String,
        /// The later version.
        to: String,
        #[command(flatten)]
        output: Output,
    },
    /// Suggested mappings from the concepts of one framework to the skills of another (exact,
    /// close or related, with a confidence and the words shared), as a CSV to review: fill the
    /// decision column with accept or reject, then `rolemap map apply FILE.csv`. Similarity
    /// across frameworks then counts skills mapped exact or close as the same skill.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Map {
        #[command(subcommand)]
        action: Option<MapCommand>,
        #[command(flatten)]
        suggest: MapArgs,
    },
    /// The skills a text mentions (a job advert, a CV, duty statements): each mention with its
    /// place in the text, the label matched, the signal that found it (label; phrase when a
    /// label's words after its verb are there, "crisis management" for "apply crisis
    /// management"; paraphrase when the words are there but not as a phrase) and a confidence. Mentions inside a negation
    /// ("no budget responsibility", "SQL is not required") are shown and not counted.
    Extract {
        /// The text file, or - for standard input.
        #[arg(value_name = "FILE", default_value = "-")]
        file: PathBuf,
        /// Only this framework's skills (its key, e.g. esco); default: every framework's.
        #[arg(long)]
        framework: Option<String>,
        /// Many documents at once: IN has one JSON object a line with "id" and "text"; OUT (or
        /// - for standard output) gets one a line with "id", "skills" and "mentions", in order.
        #[arg(long, num_args = 2, value_names = ["IN", "OUT"])]
        jsonl: Option<Vec<PathBuf>>,
        /// Labels only: leave the phrase and paraphrase signals out (faster).
        #[arg(long)]
        labels_only: bool,
        #[command(flatten)]
        output: Output,
    },
}

impl Command {
    /// Whether the command may run before any framework is installed: it installs them, or
    /// lists them (and says how to install one). Every other command answers from installed
    /// frameworks, and before `init` has nothing to answer with.
    pub fn runs_before_init(&self) -> bool {
        matches!(
            self,
            Command::Init { .. }
                | Command::Demo { .. }
                | Command::Serve { .. }
                | Command::Frameworks(_)
                | Command::Import(
                    ImportCommand::Framework { .. }
                        | ImportCommand::Esco { .. }
                        | ImportCommand::Onet { .. }
                        | ImportCommand::Case { .. }
                        | ImportCommand::Rsd { .. }
                        | ImportCommand::Xlsx { .. }
                        | ImportCommand::Csv { .. },
                )
                // A template to fill in needs no framework.
                | Command::Export(
                    ExportCommand::Xlsx { template: true, .. }
                        | ExportCommand::Csv { template: true, .. }
                )
        )
    }
}

/// `rolemap db ...`: the database's schema, apart from what it holds.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Brings the schema up to date (every command also does this when it opens the database).
    Migrate,
    /// Lists the migrations this rolemap knows: applied or pending. Changes nothing.
    Status,
    /// Copies a whole database into an empty one, ids and history kept: SQLite to PostgreSQL
    /// or back (e.g. --from sqlite:rolemap.db --to postgres://USER@HOST/DB).
    Copy {
        /// The database to copy (a path, sqlite:PATH or postgres://...).
        #[arg(long, value_name = "PATH|URL")]
        from: PathBuf,
        /// The database to copy into; it must hold no frameworks, people or users yet.
        #[arg(long, value_name = "PATH|URL")]
        to: PathBuf,
    },
}

/// The layouts of a framework spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SheetLayout {
    /// rolemap's own: the whole framework (docs/formats.md).
    #[default]
    Rolemap,
    /// OpenSALT's CASE spreadsheet: CF Doc, CF Item, CF Association.
    Case,
}

/// Which concepts of the first framework `rolemap map` maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum MapConcepts {
    /// Its skills.
    #[default]
    Skills,
    /// The duty statements of its roles (keyed role-key#number).
    Duties,
    /// Skills and duty statements.
    All,
}

/// `rolemap map A B`: what to suggest.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// The framework whose concepts are mapped (its key, e.g. odp).
    #[arg(value_name = "FRAMEWORK_A", required = true)]
    pub from: Option<String>,
    /// The framework whose skills they are mapped to (e.g. esco).
    #[arg(value_name = "FRAMEWORK_B", required = true)]
    pub to: Option<String>,
    /// Map skills, duty statements, or both.
    #[arg(long, value_enum, default_value_t = MapConcepts::Skills)]
    pub kind: MapConcepts,
    /// Leave out suggestions below this confidence (0 to 1).
    #[arg(long, default_value_t = 0.2, value_name = "C")]
    pub min_confidence: f32,
    /// At most this many suggestions per concept.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub limit_per_concept: usize,
    /// Write the CSV to this file rather than to standard output.
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum MapCommand {
    /// Store the mappings a reviewer accepted in a CSV `rolemap map` wrote (decision accept,
    /// yes or y; other rows are left out). All or nothing.
    Apply {
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum RoleCommand {
    /// The role profile: summary, responsibilities, skills and levels per grade, duties, links.
    Show {
        role: String,
        /// Look the role up in this framework only.
        #[arg(long)]
        framework: Option<String>,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Debug, Subcommand)]
pub enum SkillCommand {
    /// A skill: labels, description, levels, and the roles that require it.
    Show {
        skill: String,
        #[arg(long)]
        framework: Option<String>,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Record a person.
    Add {
        name: String,
        /// Their role (id, framework:key, key or title).
        #[arg(long)]
        role: Option<String>,
        #[arg(long)]
        grade: Option<String>,
        /// Their manager (id, key or name).
        #[arg(long)]
        manager: Option<String>,
        #[arg(long)]
        team: Option<String>,
        /// Their email address (one person per address).
        #[arg(long)]
        email: Option<String>,
        /// Add a second person of a name already stored, on purpose (without it, the name is
        /// refused with the existing person's key).
        #[arg(long)]
        same_name: bool,
        #[command(flatten)]
        output: Output,
    },
    /// A person's current levels and assessment history.
    Show {
        person: String,
        #[command(flatten)]
        output: Output,
    },
    /// Everyone stored.
    List(Output),
    /// Change a person's name, email, role, grade, manager (a move) or team; an empty value
    /// ("") clears it. Checked as `person add` is, and a manager below them is refused.
    Edit {
        person: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// id, framework:key, key or title.
        #[arg(long)]
        role: Option<String>,
        #[arg(long)]
        grade: Option<String>,
        /// id, key or name of their new manager.
        #[arg(long)]
        manager: Option<String>,
        #[arg(long)]
        team: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// Take a person off lists and team pages, keeping their history.
    Archive {
        person: String,
        #[command(flatten)]
        output: Output,
    },
    /// Bring an archived person back.
    Unarchive {
        person: String,
        #[command(flatten)]
        output: Output,
    },
    /// Everything held about a person, as JSON: their record, user account, every assessment
    /// and every audit entry about them.
    Export { person: String },
    /// Erase a person: their assessments and personal fields are deleted, their reports move to
    /// their manager, a linked user is disabled and unlinked, and the audit log keeps only a
    /// tombstone. Cannot be undone.
    Erase { person: String },
    /// Delete every assessment older than an age (3y, 18m, 6w, 90d), audited with the count.
    PurgeAssessments {
        #[arg(long, value_name = "AGE")]
        older_than: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// People x skills against their roles, single points of failure, training needs, succession.
    Matrix {
        manager: String,
        /// Rank the team for this role (default: the manager's own role).
        #[arg(long)]
        role: Option<String>,
        /// The grade for succession (default: the manager's grade).
        #[arg(long)]
        grade: Option<String>,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Framework files (TOML, see docs/framework-format.md), imported together in one transaction.
    Framework {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// A people file: TOML (people, managers and assessments), or CSV (.csv: columns key, name,
    /// email, role, grade, manager, team; see docs/framework-format.md), whose rows update the people
    /// they match by key or email and add the others.
    People {
        file: PathBuf,
        #[command(flatten)]
        output: Output,
    },
    /// Observed movements between roles (CSV with columns from, to, count and optionally source),
    /// all or nothing; similar roles and routes weigh them.
    Transitions { file: PathBuf },
    /// A 1EdTech CASE 1.0 package (CFPackage JSON, as OpenSALT and CaSS export it): items become
    /// skills, rubric levels scales; the whole package is kept for `rolemap export case`.
    Case {
        file: PathBuf,
        /// The framework key to store it under (default: case- and the start of the document's
        /// identifier).
        #[arg(long)]
        key: Option<String>,
    },
    /// OSMT Rich Skill Descriptors: a skill or a RichSkillCollection (JSON-LD, API v2 or v3
    /// field names), or OSMT's skills CSV (a FILE ending in .csv). Each RSD becomes a skill; every
    /// field is kept for `rolemap export rsd`.
    Rsd {
        file: PathBuf,
        /// The framework key to store it under (default: rsd- and the start of the collection's
        /// or skill's identifier).
        #[arg(long)]
        key: Option<String>,
    },
    /// A spreadsheet (XLSX): a whole framework in rolemap's layout (sheets framework, scale
    /// levels, grades, families, skills, roles, codes, dimensions, requirements, links; see
    /// docs/formats.md), or OpenSALT's CASE layout (sheets CF Doc, CF Item, CF Association),
    /// told apart by its sheets. All or nothing.
    Xlsx {
        file: PathBuf,
        /// The framework key to store it under (default: the framework sheet's key; for the
        /// CASE layout case- and the start of the document's identifier).
        #[arg(long)]
        key: Option<String>,
    },
    /// A whole framework as one CSV file in rolemap's spreadsheet layout: each sheet a line
    /// `[name]`, its header and its rows (as `rolemap export csv` writes). All or nothing.
    Csv {
        file: PathBuf,
        /// The framework key to store it under (default: the framework sheet's key).
        #[arg(long)]
        key: Option<String>,
    },
    /// The O*NET database text release, unpacked (the folder of `Occupation Data.txt`,
    /// `Skills.txt`, ...; release 25 or later): occupations become roles, tasks duties, rated
    /// skills requirements with their importance and level. All or nothing.
    Onet {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// The O*NET release (default: from `Read Me.txt`, e.g. 29.2).
        #[arg(long, value_name = "VERSION")]
        version: Option<String>,
    },
    /// The ESCO classification as downloaded: the classification zip and the relations zip, the
    /// folders they unpack to, or a folder holding them, in any order. All or nothing.
    Esco {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The ESCO release (default: from the file names, e.g. esco-v1.1.1-...zip gives 1.1.1).
        #[arg(long, value_name = "VERSION")]
        version: Option<String>,
        /// Refuse the release if a relation names a concept no file defines (by default such
        /// relations are left out and counted: ESCO v1.1.1 itself holds 88 of them).
        #[arg(long, conflicts_with = "skip_dangling")]
        strict: bool,
        /// List each relation left out for naming a concept no file defines (on standard error).
        #[arg(long)]
        list_dangling: bool,
        /// Accepted for older scripts and does nothing: leaving such relations out is the default.
        #[arg(long)]
        skip_dangling: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is asked for (or read with --password-stdin).
    Add {
        /// Lower case letters, digits and . _ - (at most 64).
        username: String,
        /// employee, manager, framework_owner or admin.
        #[arg(long)]
        role: String,
        /// The person this user is (id, key or name).
        #[arg(long)]
        person: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// The name shown for them (default: the person's name, else the username).
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the users.
    List(Output),
    /// Disable a user (ending their sessions), or enable them again with --enable.
    Disable {
        username: String,
        #[arg(long)]
        enable: bool,
    },
    /// Give a user another role (employee, manager, framework_owner, admin).
    Role { username: String, role: String },
    /// Set a new password for a user, ending their sessions.
    ResetPassword {
        username: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// A user's API tokens (sent as `Authorization: Bearer TOKEN`).
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an API token for a user; it is printed once and stored only as a hash.
    Create {
        username: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        output: Output,
    },
    /// Revoke one of a user's API tokens, by its number.
    Revoke { username: String, id: i64 },
    /// List a user's API tokens (never the tokens themselves).
    List {
        username: String,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A stored framework version as the framework document (TOML) that `rolemap import
    /// framework` reads back to the same content.
    Framework {
        /// The framework's key (e.g. odp).
        framework: String,
        /// The version to write; default: the latest stored.
        #[arg(long)]
        version: Option<String>,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// A framework as a 1EdTech CASE 1.0 package (CFPackage JSON): a CASE import as it came in,
    /// a built-in framework with its skills as items and its scales as rubrics.
    Case {
        /// The framework's key (e.g. odp, or the key `rolemap import case` printed).
        framework: String,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// A framework as a spreadsheet (XLSX), in rolemap's layout (every field of a framework
    /// imported from a spreadsheet or built in) or, with --layout case, OpenSALT's CASE layout
    /// (from the package `export case` writes); --template writes the empty spreadsheet to fill in.
    Xlsx {
        /// The framework's key (not with --template).
        #[arg(required_unless_present = "template", conflicts_with = "template")]
        framework: Option<String>,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Which layout: rolemap (a whole framework) or case (OpenSALT's CASE spreadsheet).
        #[arg(long, value_enum, default_value_t = SheetLayout::Rolemap)]
        layout: SheetLayout,
        /// Write the layout's sheets and columns with no rows, to fill in.
        #[arg(long)]
        template: bool,
    },
    /// A framework as one CSV file in rolemap's spreadsheet layout (each sheet a line `[name]`,
    /// its header and its rows); --template writes the empty one.
    Csv {
        /// The framework's key (not with --template).
        #[arg(required_unless_present = "template", conflicts_with = "template")]
        framework: Option<String>,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Write the layout's sheets and columns with no rows, to fill in.
        #[arg(long)]
        template: bool,
    },
    /// A framework imported from an O*NET release (`import onet`) as that release's text files,
    /// the ones `import onet` reads (tab-separated, CRLF), written into DIR: every rating,
    /// requirement or not, task, title and related occupation.
    Onet {
        /// The framework's key (onet).
        framework: String,
        /// The folder to write the files into (made if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// A framework as OSMT Rich Skill Descriptors: an RSD import as it came in, a built-in
    /// framework as a RichSkillCollection. JSON-LD, or OSMT's skills CSV for a FILE ending in .csv.
    Rsd {
        /// The framework's key (e.g. odp, or the key `rolemap import rsd` printed).
        framework: String,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Write OSMT's skills CSV whatever the file's name.
        #[arg(long)]
        csv: bool,
    },
}

/// Sign-in through an organisation's identity provider with OpenID Connect. The client secret
/// is read from the environment variable ROLEMAP_OIDC_CLIENT_SECRET only, never from an
/// argument, which any user of the machine could read in the process list.
#[derive(Debug, Clone, Args)]
pub struct OidcArgs {
    /// The provider's issuer URL, exactly as its discovery document states it.
    #[arg(
        long,
        env = "ROLEMAP_OIDC_ISSUER",
        value_name = "URL",
        requires = "oidc_client_id"
    )]
    pub oidc_issuer: Option<String>,
    /// The client id rolemap is registered under at the provider.
    #[arg(
        long,
        env = "ROLEMAP_OIDC_CLIENT_ID",
        value_name = "ID",
        requires = "oidc_issuer"
    )]
    pub oidc_client_id: Option<String>,
    /// The provider's name on the sign-in page's button ("Sign in with NAME").
    #[arg(
        long,
        env = "ROLEMAP_OIDC_NAME",
        value_name = "NAME",
        requires = "oidc_issuer"
    )]
    pub oidc_name: Option<String>,
}
