//! Where rolemap keeps its data. The [`Store`] trait is what every caller uses; [`SqliteStore`] is the
//! embedded backend (one file, migrations built in). The trait speaks only core types, so a
//! PostgreSQL backend can follow without changing callers.
//!
//! Invariants: only this crate writes SQL; every method that writes does so in one transaction, so a
//! failed call changes nothing; assessments are append-only (the schema refuses updates and deletes).

mod error;
mod sqlite;

use async_trait::async_trait;
use rolemap_core::bundle::{FrameworkBundle, PeopleBundle};
use rolemap_core::{
    Assessment, Framework, Level, Person, PersonId, Role, RoleId, RoleSummary, Skill, SkillId,
    Source,
};
use rolemap_formats::esco::EscoData;

pub use error::StoreError;
pub use sqlite::SqliteStore;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What importing one framework did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    pub key: String,
    pub version: String,
    /// False when that key and version were already stored: nothing was changed.
    pub created: bool,
    pub skills: usize,
    pub roles: usize,
    pub links: usize,
}

/// What importing a people document did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeopleOutcome {
    pub people: usize,
    pub assessments: usize,
}

/// Narrows a role listing.
#[derive(Debug, Clone, Default)]
pub struct RoleFilter {
    /// Framework key.
    pub framework: Option<String>,
    /// Job family key or name, case-insensitive.
    pub family: Option<String>,
}

/// Narrows a skill listing.
#[derive(Debug, Clone, Default)]
pub struct SkillFilter {
    pub framework: Option<String>,
    /// Case-insensitive substring of the preferred or an alternative label.
    pub text: Option<String>,
    pub kind: Option<String>,
    pub tag: Option<String>,
}

/// A new person, references already resolved.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub key: String,
    pub name: String,
    pub role: Option<RoleId>,
    pub grade: Option<String>,
    pub manager: Option<PersonId>,
    pub team: String,
}

/// A new assessment, level already checked against the skill's scale.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    pub person: PersonId,
    pub skill: SkillId,
    pub level: Level,
    pub source: Source,
    pub at: String,
    pub note: String,
}

/// A name that may refer to a role: its id, key and every title it answers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameEntry<I> {
    pub id: I,
    pub framework_key: String,
    pub key: String,
    pub name: String,
}

#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// Every stored framework version, with counts.
    async fn frameworks(&self) -> Result<Vec<Framework>>;

    /// Stores frameworks in one transaction. References between frameworks resolve against the batch
    /// and what is stored. A key and version already stored are left as they are.
    async fn import_frameworks(
        &self,
        bundles: &[FrameworkBundle],
        now: &str,
    ) -> Result<Vec<ImportOutcome>>;

    /// Stores an ESCO release as the framework `esco` in one transaction: its occupations as
    /// roles, skills as skills, relations as requirements, and ESCO's own structure (groups,
    /// broader relations, skill-skill relations, hierarchy, every concept's fields) beside them.
    /// A version already stored is left as it is.
    async fn import_esco(&self, data: &EscoData, now: &str) -> Result<ImportOutcome>;

    /// Stores people and their assessments in one transaction, checking every reference.
    async fn import_people(&self, bundle: &PeopleBundle, now: &str) -> Result<PeopleOutcome>;

    /// A number that changes whenever stored frameworks change (in any process), so callers can
    /// cache what they read from frameworks and know when to drop it.
    async fn frameworks_generation(&self) -> Result<i64>;

    /// The role with this key in the latest version of a framework.
    async fn role_by_key(&self, framework: &str, key: &str) -> Result<Option<RoleId>>;

    async fn roles(&self, filter: &RoleFilter) -> Result<Vec<RoleSummary>>;
    async fn role(&self, id: RoleId) -> Result<Role>;
    /// Every name a role answers to (title, alternative and typical titles), for resolution.
    async fn role_names(&self, framework: Option<&str>) -> Result<Vec<NameEntry<RoleId>>>;

    async fn skills(&self, filter: &SkillFilter) -> Result<Vec<Skill>>;
    async fn skill(&self, id: SkillId) -> Result<Skill>;
    /// Every label a skill answers to, for resolution.
    async fn skill_names(&self, framework: Option<&str>) -> Result<Vec<NameEntry<SkillId>>>;
    /// Roles that require a skill: (role, essential?).
    async fn roles_requiring(&self, skill: SkillId) -> Result<Vec<(RoleSummary, bool)>>;

    /// Records a person and, in the same transaction, their first assessments (whose `person`
    /// is ignored: they are the new person's).
    async fn add_person(
        &self,
        person: &NewPerson,
        assessments: &[NewAssessment],
        now: &str,
    ) -> Result<(Person, Vec<Assessment>)>;
    async fn person(&self, id: PersonId) -> Result<Person>;
    async fn people(&self) -> Result<Vec<Person>>;
    /// Everyone below a manager, directly or through others, in name order.
    async fn reports(&self, manager: PersonId) -> Result<Vec<Person>>;

    async fn add_assessments(&self, assessments: &[NewAssessment]) -> Result<Vec<Assessment>>;
    /// A person's assessments, oldest first.
    async fn assessments(&self, person: PersonId) -> Result<Vec<Assessment>>;
}
