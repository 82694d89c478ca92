//! The built-in framework data against the published source documents (`/work/shared/seeds`).
//!
//! Every expected value below was transcribed by hand from the source documents, not read from
//! the built-in TOML files: these tests are the independent check that the data is true to the
//! sources. Roles are found by exact title and skills by exact label, never by key.
//!
//! - ODP: the Operational Delivery Profession framework role profiles (seed 002).
//! - standards: the operations or departmental manager standard, level 5 (seed 000), and the
//!   senior leader standard, level 7 (seed 003).
//! - esco-extract: the ESCO occupation "ICT operations manager" (seed 004).

use std::collections::BTreeSet;

use rolemap_core::bundle::FrameworkBundle;
use rolemap_core::{Importance, SkillKind};

use crate::{framework, requirement, role, skill, skill_by_label, skill_label};

// ---------------------------------------------------------------------------------------------
// ODP (seed 002)
// ---------------------------------------------------------------------------------------------

/// One cell of a published skills table: a level code, or `None` where the cell is blank.
type Cell = Option<&'static str>;

const A: Cell = Some("A");
const W: Cell = Some("W");
const P: Cell = Some("P");
const E: Cell = Some("E");
const BLANK: Cell = None;

const LEADERSHIP: &str = "Leadership and Management";
const HELP: &str = "Help, Advice, Support and Service Delivery";
const REGULATION: &str = "Validation, Compliance, Support, Safety and Enforcement (Regulation)";
const BUSINESS: &str = "Business Management and Operational Support";

/// The job families table, in the order published.
const ODP_FAMILIES: [&str; 4] = [LEADERSHIP, HELP, REGULATION, BUSINESS];

/// The grades, lowest first: the job families table's columns, with SCS as SCS1 to SCS3.
const ODP_GRADES: [&str; 10] = [
    "AA", "AO", "EO", "HEO", "SEO", "G7", "G6", "SCS1", "SCS2", "SCS3",
];

/// "Learn more about skills levels Awareness (A), Working (W), Practitioner (P) and Expert (E)".
const ODP_SCALE: [(&str, &str); 4] = [
    ("A", "Awareness"),
    ("W", "Working"),
    ("P", "Practitioner"),
    ("E", "Expert"),
];

/// The five core skills, in the order of the rows of every skills table.
const CORE_SKILLS: [&str; 5] = [
    "Connections and communication",
    "Operational leadership and management",
    "Adaptability to change",
    "Data and insight",
    "Delivery and decision making at pace",
];

/// A role profile with a "Core ODP skills required" table.
struct GradedRole {
    title: &'static str,
    family: &'static str,
    /// The table's columns, in order.
    grades: &'static [&'static str],
    /// One row per core skill, in the order of `CORE_SKILLS`; one cell per grade column.
    rows: [&'static [Cell]; 5],
}

const GRADED_ROLES: [GradedRole; 8] = [
    GradedRole {
        title: "Team Leader",
        family: LEADERSHIP,
        grades: &["EO", "HEO", "SEO"],
        rows: [
            &[W, W, W], // Connections and communication
            &[W, W, P], // Operational leadership and management
            &[A, W, W], // Adaptability to change
            &[A, W, P], // Data and insight
            &[A, W, P], // Delivery and decision making at pace
        ],
    },
    GradedRole {
        title: "Operations Manager",
        family: LEADERSHIP,
        grades: &["G7", "G6"],
        rows: [
            &[P, E], // Connections and communication
            &[P, E], // Operational leadership and management
            &[P, E], // Adaptability to change
            &[E, E], // Data and insight
            &[P, E], // Delivery and decision making at pace
        ],
    },
    GradedRole {
        title: "Front Line Help and Advice",
        family: HELP,
        grades: &["AA", "AO", "EO", "HEO", "SEO"],
        rows: [
            &[W, W, W, W, P], // Connections and communication
            &[A, A, A, W, W], // Operational leadership and management
            &[A, A, A, W, P], // Adaptability to change
            &[A, A, A, W, W], // Data and insight
            &[A, A, A, W, P], // Delivery and decision making at pace
        ],
    },
    GradedRole {
        title: "Front Line Service Delivery",
        family: HELP,
        grades: &["AA", "AO", "EO", "HEO", "SEO"],
        rows: [
            &[W, W, W, W, P], // Connections and communication
            &[A, A, A, W, W], // Operational leadership and management
            &[A, A, A, W, P], // Adaptability to change
            &[A, A, A, W, W], // Data and insight
            &[A, A, A, W, P], // Delivery and decision making at pace
        ],
    },
    GradedRole {
        title: "Front Line Validation and Compliance",
        family: REGULATION,
        grades: &["AO", "EO", "HEO", "SEO"],
        rows: [
            &[W, W, P, P], // Connections and communication
            &[A, W, W, W], // Operational leadership and management
            &[A, W, W, P], // Adaptability to change
            &[A, W, W, W], // Data and insight
            &[A, W, P, P], // Delivery and decision making at pace
        ],
    },
    GradedRole {
        title: "Front Line Safety and Enforcement",
        family: REGULATION,
        grades: &["AO", "EO", "HEO", "SEO"],
        rows: [
            &[W, W, P, P], // Connections and communication
            &[A, W, W, W], // Operational leadership and management
            &[A, W, W, P], // Adaptability to change
            &[A, W, W, W], // Data and insight
            &[A, W, P, P], // Delivery and decision making at pace
        ],
    },
    GradedRole {
        title: "Operational Support",
        family: BUSINESS,
        grades: &["AA", "AO", "EO", "HEO"],
        rows: [
            &[A, A, W, W], // Connections and communication
            &[A, A, W, W], // Operational leadership and management
            &[A, A, W, W], // Adaptability to change
            &[A, A, A, W], // Data and insight
            &[A, A, A, W], // Delivery and decision making at pace
        ],
    },
    GradedRole {
        title: "Business Management",
        family: BUSINESS,
        grades: &["EO", "HEO", "SEO", "G7"],
        rows: [
            &[W, P, BLANK, BLANK], // Connections and communication: blank at SEO and G7
            &[W, P, P, P],         // Operational leadership and management
            &[W, W, W, P],         // Adaptability to change
            &[A, A, W, W],         // Data and insight
            &[A, W, W, P],         // Delivery and decision making at pace
        ],
    },
];

/// The seven SCS core capabilities, as the SCS role profiles name them.
const SCS_CAPABILITIES: [&str; 7] = [
    "Power of connections",
    "Human centred design",
    "Systems leadership",
    "Innovation and risk",
    "Learning agility",
    "Data and insight",
    "Decisions at pace",
];

/// An SCS role profile: seven core capabilities, no published levels, some singled out.
struct ScsRole {
    title: &'static str,
    family: &'static str,
    grades: &'static [&'static str],
    /// The capabilities the profile says are "of specific note", "of importance" or "key".
    emphasised: &'static [&'static str],
}

const SCS_ROLES: [ScsRole; 5] = [
    ScsRole {
        title: "Operations Director",
        family: LEADERSHIP,
        grades: &["SCS1", "SCS2"],
        // "Systems Leadership, data and insight and decisions at pace are of specific note for
        // this role."
        emphasised: &[
            "Systems leadership",
            "Data and insight",
            "Decisions at pace",
        ],
    },
    ScsRole {
        title: "Chief Executive Officer",
        family: LEADERSHIP,
        grades: &["SCS2", "SCS3"],
        // "Power of connections, Human centred design and systems leadership are of importance in
        // this role."
        emphasised: &[
            "Power of connections",
            "Human centred design",
            "Systems leadership",
        ],
    },
    ScsRole {
        title: "ODP Director General",
        family: LEADERSHIP,
        grades: &["SCS3"],
        // "Power of connections, Learning agility and Decisions at Pace as well as Human Centred
        // design are key for this role."
        emphasised: &[
            "Power of connections",
            "Learning agility",
            "Decisions at pace",
            "Human centred design",
        ],
    },
    ScsRole {
        title: "Regulator",
        family: LEADERSHIP,
        grades: &["SCS1", "SCS2"],
        // "Power of connections, Innovation and Risk and learning agility are key for this role."
        emphasised: &[
            "Power of connections",
            "Innovation and risk",
            "Learning agility",
        ],
    },
    ScsRole {
        title: "Chief Operating Officer",
        family: LEADERSHIP,
        grades: &["SCS2", "SCS3"],
        // The profile singles out no capability.
        emphasised: &[],
    },
];

fn odp() -> &'static FrameworkBundle {
    framework("odp")
}

/// The name of the job family with this key.
fn family_name<'a>(fw: &'a FrameworkBundle, key: Option<&str>) -> Option<&'a str> {
    let key = key?;
    let family = fw.families.iter().find(|f| f.key == key);
    Some(
        family
            .unwrap_or_else(|| panic!("no family with key '{key}'"))
            .name
            .as_str(),
    )
}

#[test]
fn odp_has_exactly_the_thirteen_published_roles() {
    let fw = odp();
    let expected: BTreeSet<&str> = GRADED_ROLES
        .iter()
        .map(|r| r.title)
        .chain(SCS_ROLES.iter().map(|r| r.title))
        .collect();
    assert_eq!(expected.len(), 13);
    let actual: BTreeSet<&str> = fw.roles.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(fw.roles.len(), 13, "ODP roles: {actual:?}");
    assert_eq!(actual, expected);
}

#[test]
fn odp_has_the_four_published_job_families() {
    let fw = odp();
    let names: Vec<&str> = fw.families.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ODP_FAMILIES);
}

#[test]
fn odp_roles_sit_in_their_published_job_families() {
    let fw = odp();
    let expected = GRADED_ROLES
        .iter()
        .map(|r| (r.title, r.family))
        .chain(SCS_ROLES.iter().map(|r| (r.title, r.family)));
    for (title, family) in expected {
        let role = role(fw, title);
        assert_eq!(
            family_name(fw, role.family.as_deref()),
            Some(family),
            "family of '{title}'"
        );
    }
}

#[test]
fn odp_grade_ladder_runs_aa_to_scs3() {
    let fw = odp();
    for role in &fw.roles {
        let key = role.ladder.as_deref();
        let key = key.unwrap_or_else(|| panic!("role '{}' has no grade ladder", role.title));
        let ladder = fw.ladders.iter().find(|l| l.key == key);
        let ladder = ladder.unwrap_or_else(|| panic!("no ladder with key '{key}'"));
        let codes: Vec<&str> = ladder.grades.iter().map(|g| g.code.as_str()).collect();
        assert_eq!(codes, ODP_GRADES, "ladder of '{}'", role.title);
    }
}

#[test]
fn odp_core_skills_use_the_awareness_to_expert_scale() {
    // "Data and insight" is also the label of an SCS capability, so the core skills are found
    // through the graded roles' requirements rather than by label alone.
    let fw = odp();
    for expected in &GRADED_ROLES {
        let role = role(fw, expected.title);
        for label in CORE_SKILLS {
            let skill = skill(fw, &requirement(fw, role, label).skill);
            let key = skill.scale.as_deref();
            let key = key.unwrap_or_else(|| panic!("core skill '{label}' has no scale"));
            let scale = fw.scales.iter().find(|s| s.key() == key);
            let scale = scale.unwrap_or_else(|| panic!("no scale with key '{key}'"));
            let levels: Vec<(&str, &str)> = scale
                .levels()
                .iter()
                .map(|l| (l.code.as_str(), l.name.as_str()))
                .collect();
            assert_eq!(
                levels, ODP_SCALE,
                "scale of '{label}' in '{}'",
                expected.title
            );
        }
    }
}

#[test]
fn odp_graded_roles_share_one_skill_per_core_skill() {
    let fw = odp();
    for label in CORE_SKILLS {
        let keys: BTreeSet<&str> = GRADED_ROLES
            .iter()
            .map(|r| requirement(fw, role(fw, r.title), label).skill.as_str())
            .collect();
        assert_eq!(
            keys.len(),
            1,
            "'{label}' is more than one skill across the roles: {keys:?}"
        );
    }
}

#[test]
fn odp_graded_roles_have_the_published_grade_columns() {
    let fw = odp();
    for expected in &GRADED_ROLES {
        let role = role(fw, expected.title);
        assert_eq!(
            role.grades, expected.grades,
            "grades of '{}'",
            expected.title
        );
        assert_eq!(
            role.level, None,
            "'{}' has no published occupational level",
            expected.title
        );
    }
}

#[test]
fn odp_graded_roles_require_exactly_the_five_core_skills_as_essential() {
    let fw = odp();
    for expected in &GRADED_ROLES {
        let role = role(fw, expected.title);
        let mut labels: Vec<&str> = role
            .requirements
            .iter()
            .map(|r| skill_label(fw, &r.skill))
            .collect();
        labels.sort_unstable();
        let mut core = CORE_SKILLS.to_vec();
        core.sort_unstable();
        assert_eq!(labels, core, "requirements of '{}'", expected.title);
        for req in &role.requirements {
            let label = skill_label(fw, &req.skill);
            assert_eq!(
                req.importance,
                Importance::Essential,
                "'{}': {label}",
                expected.title
            );
            assert!(
                !req.emphasis,
                "'{}': the source singles out no skill ({label})",
                role.title
            );
            assert_eq!(
                req.level, None,
                "'{}': {label} has levels per grade",
                role.title
            );
        }
    }
}

#[test]
fn odp_graded_role_levels_match_every_published_cell() {
    let fw = odp();
    let mut cells = 0;
    for expected in &GRADED_ROLES {
        let role = role(fw, expected.title);
        for (label, row) in CORE_SKILLS.iter().zip(expected.rows) {
            assert_eq!(
                row.len(),
                expected.grades.len(),
                "table row '{label}' is mistyped"
            );
            let req = requirement(fw, role, label);
            let published: Vec<(&str, Option<&str>)> = expected
                .grades
                .iter()
                .copied()
                .zip(row.iter().copied())
                .collect();
            let actual: Vec<(&str, Option<&str>)> = req
                .levels
                .iter()
                .map(|(g, l)| (g.as_str(), l.as_deref()))
                .collect();
            assert_eq!(actual, published, "'{}': {label}", expected.title);
            cells += row.len();
        }
    }
    // 3+2+5+5+4+4+4+4 grade columns, five skills each.
    assert_eq!(cells, 31 * 5);
}

#[test]
fn odp_business_management_leaves_connections_blank_at_seo_and_g7() {
    let fw = odp();
    let req = requirement(
        fw,
        role(fw, "Business Management"),
        "Connections and communication",
    );
    let at = |grade: &str| {
        req.levels
            .iter()
            .find(|(g, _)| g == grade)
            .map(|(_, l)| l.as_deref())
    };
    assert_eq!(at("EO"), Some(Some("W")));
    assert_eq!(at("HEO"), Some(Some("P")));
    assert_eq!(
        at("SEO"),
        Some(None),
        "blank in the source: no level may be invented"
    );
    assert_eq!(
        at("G7"),
        Some(None),
        "blank in the source: no level may be invented"
    );
}

#[test]
fn odp_scs_roles_have_their_published_grades() {
    let fw = odp();
    for expected in &SCS_ROLES {
        let role = role(fw, expected.title);
        assert_eq!(
            role.grades, expected.grades,
            "grades of '{}'",
            expected.title
        );
        assert_eq!(
            role.level, None,
            "'{}' has no published occupational level",
            expected.title
        );
    }
}

#[test]
fn odp_scs_roles_require_the_seven_capabilities_without_invented_levels() {
    let fw = odp();
    let mut capabilities: Vec<String> = SCS_CAPABILITIES.iter().map(|c| c.to_lowercase()).collect();
    capabilities.sort_unstable();
    for expected in &SCS_ROLES {
        let role = role(fw, expected.title);
        assert_eq!(
            role.requirements.len(),
            7,
            "requirements of '{}'",
            expected.title
        );
        let mut labels: Vec<String> = role
            .requirements
            .iter()
            .map(|r| skill_label(fw, &r.skill).to_lowercase())
            .collect();
        labels.sort_unstable();
        assert_eq!(labels, capabilities, "capabilities of '{}'", expected.title);
        for req in &role.requirements {
            let label = skill_label(fw, &req.skill);
            assert_eq!(
                req.level, None,
                "'{}': {label} has an invented level",
                expected.title
            );
            for (grade, level) in &req.levels {
                assert_eq!(
                    level.as_deref(),
                    None,
                    "'{}': {label} has an invented level at {grade}",
                    expected.title
                );
            }
        }
    }
}

#[test]
fn odp_scs_roles_emphasise_the_capabilities_the_source_singles_out() {
    let fw = odp();
    for expected in &SCS_ROLES {
        let role = role(fw, expected.title);
        let mut emphasised: Vec<String> = role
            .requirements
            .iter()
            .filter(|r| r.emphasis)
            .map(|r| skill_label(fw, &r.skill).to_lowercase())
            .collect();
        emphasised.sort_unstable();
        let mut published: Vec<String> = expected
            .emphasised
            .iter()
            .map(|c| c.to_lowercase())
            .collect();
        published.sort_unstable();
        assert_eq!(emphasised, published, "emphasis in '{}'", expected.title);
    }
}

// ---------------------------------------------------------------------------------------------
// Occupational standards (seeds 000 and 003)
// ---------------------------------------------------------------------------------------------

/// The duties of the operations or departmental manager standard (OCC0385), in order.
const OPERATIONS_MANAGER_DUTIES: [&str; 14] = [
    "Provide leadership and people management.",
    "Keep up to date with IT and digital interventions such as Artificial Intelligence (AI) and \
     software that can be used in their sector.",
    "Analyse, interpret and cascade data to enable tracking, trend analysis and metric reporting \
     to enable decision making for managing objectives and targets.",
    "Manage and influence activities and projects within budget and resources to deliver change \
     and continuous improvement.",
    "Collaborate with and manage stakeholder relationships.",
    "Lead the creation and implementation of their resource plans considering future \
     organisation needs and impact on change requirements.",
    "Interpret and comply with relevant legislation and regulation and the impact on their \
     organisation.",
    "Lead and manage the team to ensure the application of equity, diversity, and inclusion \
     principles.",
    "Lead the team and individual training needs and support continuous professional \
     development.",
    "Communicate complex information to build understanding and drive team and organisational \
     performance.",
    "Manage activities which drive the organisation\u{2019}s sustainability goals.",
    "Build and manage internal relationships and collaborate with colleagues to enable \
     cross-team working.",
    "Lead and respond to risk management, assessing the opportunities which could affect \
     individual and team performance, and finding solutions that meet their needs.",
    "Develop and implement their operational plan that aligns with the strategic direction of \
     the organisation.",
];

/// The duties of the senior leader standard (level 7), in order.
const SENIOR_LEADER_DUTIES: [&str; 12] = [
    "Set the overall strategic direction of their area of responsibility in partnership with the \
     Board (or equivalent), encouraging employees to buy into the organisation\u{2019}s vision.",
    "Lead on the development and critical review of operational policies and practices within \
     their area of responsibility, to ensure they are aligned to the needs of the organisation \
     and remain fit for purpose and sustainable.",
    "Lead and influence agreed projects to deliver organisational strategy such as change and \
     agile transformation programmes, diversification, new product implementation, and customer \
     experience improvement.",
    "Make decisions about organisational resource requirements (budgets, people, technology) \
     based on strategic insight and reliable evidence.",
    "Lead and respond to crisis management, assessing the risks and opportunities which could \
     affect the business/department performance, and finding solutions that meet the needs of \
     both the organisation and its customers/stakeholders in a responsible and ethical way.",
    "Lead people development including talent management, succession planning, workforce \
     design, and coaching, and mentoring arrangements for people within their area of \
     responsibility.",
    "Promote an ethical, inclusive, innovative, and supportive culture that generates continuous \
     business improvement.",
    "Report to the Board (or relevant governance/management structure) on the progress of their \
     operational activities towards achieving business goals.",
    "Cultivate and maintain collaborative relationships with key senior internal and external \
     stakeholders to influence key decision makers as appropriate.",
    "Shape the approach to external communications for their area of responsibility and ensure \
     it aligns with any wider organisational communications strategy.",
    "Proactively keep up to date with social, economic and technological trends and \
     developments relevant to their area of responsibility and wider organisation, and promote \
     innovation to address changing requirements and to take advantage of new opportunities.",
    "Ensure that their area of responsibility is compliant with internal governance, such as any \
     assurance framework requirements, and with external governance, such as any regulatory and \
     statutory requirements.",
];

/// "Typical job titles include:" in the senior leader standard, as published.
const SENIOR_LEADER_TITLES: [&str; 11] = [
    "Associate Director",
    "Business unit head",
    "Chief executive officer",
    "Chief financial officer",
    "Chief information officer",
    "Chief operating officer",
    "Divisional head",
    "Executive director",
    "He registrar",
    "Head of department/faculty",
    "Warrant officer",
];

/// Asserts a role's duties are exactly these statements, numbered from 1.
fn assert_duties(title: &str, duties: &[rolemap_core::Duty], published: &[&str]) {
    assert_eq!(
        duties.len(),
        published.len(),
        "number of duties of '{title}'"
    );
    for (i, (duty, text)) in duties.iter().zip(published).enumerate() {
        let number = u32::try_from(i + 1).unwrap();
        assert_eq!(
            duty.number,
            number,
            "'{title}': duty {} is numbered {}",
            i + 1,
            duty.number
        );
        assert_eq!(duty.text, *text, "'{title}': text of duty {number}");
    }
}

#[test]
fn operations_manager_standard_is_level_5_occ0385() {
    let role = role(framework("standards"), "Operations or departmental manager");
    assert_eq!(role.level, Some(5));
    assert!(
        role.codes.iter().any(|c| c.value == "OCC0385"),
        "codes of the operations manager standard: {:?}",
        role.codes
    );
}

#[test]
fn operations_manager_standard_has_its_fourteen_duties_verbatim() {
    let role = role(framework("standards"), "Operations or departmental manager");
    assert_duties(&role.title, &role.duties, &OPERATIONS_MANAGER_DUTIES);
}

#[test]
fn senior_leader_standard_is_level_7_over_24_months() {
    let role = role(framework("standards"), "Senior leader");
    assert_eq!(role.level, Some(7));
    assert_eq!(role.duration, "24 months");
}

#[test]
fn senior_leader_standard_has_its_twelve_duties_verbatim() {
    let role = role(framework("standards"), "Senior leader");
    assert_duties(&role.title, &role.duties, &SENIOR_LEADER_DUTIES);
}

#[test]
fn senior_leader_standard_lists_its_typical_job_titles() {
    let role = role(framework("standards"), "Senior leader");
    assert_eq!(role.typical_titles, SENIOR_LEADER_TITLES);
}

// ---------------------------------------------------------------------------------------------
// ESCO extract (seed 004)
// ---------------------------------------------------------------------------------------------

const ESSENTIAL: bool = true;
const OPTIONAL: bool = false;
const KNOWLEDGE: bool = true;
const SKILL: bool = false;
const DIGITAL: bool = true;
const PLAIN: bool = false;
const SECTOR: &str = "sector-specific";
const CROSS: &str = "cross-sector";

/// One competence of an ESCO occupation, as its page lists it.
struct Competence {
    label: &'static str,
    essential: bool,
    knowledge: bool,
    /// ESCO's reuse level.
    reuse: &'static str,
    /// Carries the "digital" tag.
    digital: bool,
}

const fn c(
    label: &'static str,
    essential: bool,
    knowledge: bool,
    reuse: &'static str,
    digital: bool,
) -> Competence {
    Competence {
        label,
        essential,
        knowledge,
        reuse,
        digital,
    }
}

/// All 41 competences of "ICT operations manager", bucket by bucket as the page lists them.
#[rustfmt::skip]
const ICT_OPERATIONS_MANAGER: [Competence; 41] = [
    // Essential knowledge: 3 competences.
    c("innovation processes",                  ESSENTIAL, KNOWLEDGE, SECTOR, PLAIN),
    c("operations management",                 ESSENTIAL, KNOWLEDGE, SECTOR, PLAIN),
    c("digital systems",                       ESSENTIAL, KNOWLEDGE, CROSS,  DIGITAL),
    // Essential skills and competences: 15 competences.
    c("attend to ICT systems quality",         ESSENTIAL, SKILL,     SECTOR, DIGITAL),
    c("define technology strategy",            ESSENTIAL, SKILL,     SECTOR, PLAIN),
    c("develop ICT workflow",                  ESSENTIAL, SKILL,     SECTOR, DIGITAL),
    c("maintain relationship with suppliers",  ESSENTIAL, SKILL,     SECTOR, PLAIN),
    c("manage changes in ICT system",          ESSENTIAL, SKILL,     SECTOR, DIGITAL),
    c("design process",                        ESSENTIAL, SKILL,     CROSS,  DIGITAL),
    c("improve business processes",            ESSENTIAL, SKILL,     CROSS,  PLAIN),
    c("manage budgets",                        ESSENTIAL, SKILL,     CROSS,  PLAIN),
    c("manage staff",                          ESSENTIAL, SKILL,     CROSS,  PLAIN),
    c("oversee quality control",               ESSENTIAL, SKILL,     CROSS,  PLAIN),
    c("perform project management",            ESSENTIAL, SKILL,     CROSS,  PLAIN),
    c("track key performance indicators",      ESSENTIAL, SKILL,     CROSS,  PLAIN),
    c("train employees",                       ESSENTIAL, SKILL,     CROSS,  PLAIN),
    c("use different communication channels",  ESSENTIAL, SKILL,     CROSS,  PLAIN),
    c("use ICT ticketing system",              ESSENTIAL, SKILL,     CROSS,  DIGITAL),
    // Optional knowledge: 12 competences.
    c("core banking software",                 OPTIONAL,  KNOWLEDGE, SECTOR, DIGITAL),
    c("crowdsourcing strategy",                OPTIONAL,  KNOWLEDGE, SECTOR, PLAIN),
    c("engineering processes",                 OPTIONAL,  KNOWLEDGE, SECTOR, PLAIN),
    c("hardware components suppliers",         OPTIONAL,  KNOWLEDGE, SECTOR, PLAIN),
    c("ICT process quality models",            OPTIONAL,  KNOWLEDGE, SECTOR, DIGITAL),
    c("insourcing strategy",                   OPTIONAL,  KNOWLEDGE, SECTOR, PLAIN),
    c("outsourcing strategy",                  OPTIONAL,  KNOWLEDGE, SECTOR, PLAIN),
    c("software components libraries",         OPTIONAL,  KNOWLEDGE, SECTOR, DIGITAL),
    c("software components suppliers",         OPTIONAL,  KNOWLEDGE, SECTOR, DIGITAL),
    c("contract law",                          OPTIONAL,  KNOWLEDGE, CROSS,  PLAIN),
    c("hardware components",                   OPTIONAL,  KNOWLEDGE, CROSS,  DIGITAL),
    c("systems development life-cycle",        OPTIONAL,  KNOWLEDGE, CROSS,  DIGITAL),
    // Optional skills and competences: 11 competences.
    c("coordinate technological activities",   OPTIONAL,  SKILL,     SECTOR, PLAIN),
    c("implement a virtual private network",   OPTIONAL,  SKILL,     SECTOR, DIGITAL),
    c("implement ICT risk management",         OPTIONAL,  SKILL,     SECTOR, DIGITAL),
    c("implement ICT security policies",       OPTIONAL,  SKILL,     SECTOR, DIGITAL),
    c("apply organisational techniques",       OPTIONAL,  SKILL,     CROSS,  PLAIN),
    c("comply with legal regulations",         OPTIONAL,  SKILL,     CROSS,  PLAIN),
    c("develop information standards",         OPTIONAL,  SKILL,     CROSS,  PLAIN),
    c("manage contracts",                      OPTIONAL,  SKILL,     CROSS,  PLAIN),
    c("perform procurement processes",         OPTIONAL,  SKILL,     CROSS,  PLAIN),
    c("provide cost benefit analysis reports", OPTIONAL,  SKILL,     CROSS,  PLAIN),
    c("recruit employees",                     OPTIONAL,  SKILL,     CROSS,  PLAIN),
];

fn esco() -> &'static FrameworkBundle {
    framework("esco-extract")
}

#[test]
fn esco_ict_operations_manager_has_its_esco_and_isco_codes() {
    let role = role(esco(), "ICT operations manager");
    let mut codes: Vec<(String, &str)> = role
        .codes
        .iter()
        .map(|c| (c.scheme.to_uppercase(), c.value.as_str()))
        .collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        [("ESCO".to_owned(), "1330.5"), ("ISCO".to_owned(), "1330")]
    );
}

#[test]
fn esco_competence_table_is_transcribed_consistently() {
    // The page's own counts: 41 competences, 18 essential, 23 optional.
    let essential = ICT_OPERATIONS_MANAGER
        .iter()
        .filter(|c| c.essential)
        .count();
    assert_eq!((ICT_OPERATIONS_MANAGER.len(), essential), (41, 18));
    let labels: BTreeSet<&str> = ICT_OPERATIONS_MANAGER.iter().map(|c| c.label).collect();
    assert_eq!(labels.len(), 41, "a competence is listed twice");
}

#[test]
fn esco_ict_operations_manager_has_exactly_the_41_competences() {
    let fw = esco();
    let role = role(fw, "ICT operations manager");
    assert_eq!(role.requirements.len(), 41);
    let actual: BTreeSet<&str> = role
        .requirements
        .iter()
        .map(|r| skill_label(fw, &r.skill))
        .collect();
    let published: BTreeSet<&str> = ICT_OPERATIONS_MANAGER.iter().map(|c| c.label).collect();
    assert_eq!(actual, published);
    let count = |importance| {
        role.requirements
            .iter()
            .filter(|r| r.importance == importance)
            .count()
    };
    assert_eq!(count(Importance::Essential), 18);
    assert_eq!(count(Importance::Optional), 23);
}

#[test]
fn esco_competences_match_importance_kind_reuse_and_digital_tag() {
    let fw = esco();
    let role = role(fw, "ICT operations manager");
    for expected in &ICT_OPERATIONS_MANAGER {
        let label = expected.label;
        let req = requirement(fw, role, label);
        let skill = skill_by_label(fw, label);
        assert_eq!(
            req.skill, skill.key,
            "'{label}' is required through another skill"
        );
        let importance = if expected.essential {
            Importance::Essential
        } else {
            Importance::Optional
        };
        assert_eq!(req.importance, importance, "importance of '{label}'");
        let kind = if expected.knowledge {
            SkillKind::Knowledge
        } else {
            SkillKind::Skill
        };
        assert_eq!(skill.kind, kind, "kind of '{label}'");
        assert_eq!(
            skill.reuse.map(|r| r.as_str()),
            Some(expected.reuse),
            "reuse of '{label}'"
        );
        let digital = skill.tags.iter().any(|t| t == "digital");
        assert_eq!(
            digital, expected.digital,
            "'digital' tag on '{label}': {:?}",
            skill.tags
        );
        assert_eq!(req.level, None, "ESCO publishes no level for '{label}'");
        assert!(
            req.levels.is_empty(),
            "ESCO publishes no grades for '{label}'"
        );
    }
}
