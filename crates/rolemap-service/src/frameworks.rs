//! Frameworks, roles and skills as people name them, and what is read of one or two roles: a
//! skill's detail, a comparison, a job description.

use std::sync::Arc;

use rolemap_core::compare::{self, Comparison};
use rolemap_core::jd::{self, JobDescription};
use rolemap_core::{Framework, Role, RoleSummary, Skill};
use rolemap_store::{RoleFilter, SkillFilter};

use crate::{Result, Service, ServiceError};

/// A skill with the roles that require it.
#[derive(Debug, Clone)]
pub struct SkillDetail {
    pub skill: Skill,
    pub framework: Option<Framework>,
    pub required_by: Vec<(RoleSummary, bool)>,
    /// ESCO's own fields, groups and related skills, for a skill imported from ESCO.
    pub esco: Option<rolemap_store::EscoDetail>,
}

impl SkillDetail {
    /// How many roles require the skill as essential, and as optional.
    pub fn requirement_counts(&self) -> (usize, usize) {
        let essential = self.required_by.iter().filter(|(_, e)| *e).count();
        (essential, self.required_by.len() - essential)
    }
}

impl Service {
    pub async fn frameworks(&self) -> Result<Vec<Framework>> {
        Ok(self.store.frameworks().await?)
    }

    pub async fn roles(&self, filter: &RoleFilter) -> Result<Vec<RoleSummary>> {
        if let Some(framework) = &filter.framework {
            self.check_framework(framework).await?;
        }
        Ok(self.store.roles(filter).await?)
    }

    pub async fn skills(&self, filter: &SkillFilter) -> Result<Vec<Skill>> {
        if let Some(framework) = &filter.framework {
            self.check_framework(framework).await?;
        }
        Ok(self.store.skills(filter).await?)
    }

    pub(crate) async fn check_framework(&self, key: &str) -> Result<()> {
        let frameworks = self.store.frameworks().await?;
        if frameworks.iter().any(|f| f.key == key) {
            return Ok(());
        }
        let keys: Vec<&str> = frameworks.iter().map(|f| f.key.as_str()).collect();
        Err(ServiceError::NotFound {
            what: "framework",
            name: key.to_owned(),
            suggestions: rolemap_core::suggest::did_you_mean(key, keys.iter().copied(), 3),
        })
    }

    /// A role by id, `framework:key`, key or title.
    pub async fn role(&self, name: &str, framework: Option<&str>) -> Result<Role> {
        Ok(Role::clone(&*self.role_shared(name, framework).await?))
    }

    /// As [`Service::role`], sharing the cached copy instead of cloning it.
    pub async fn role_shared(&self, name: &str, framework: Option<&str>) -> Result<Arc<Role>> {
        if let Ok(number) = name.trim().parse::<i64>() {
            match self.role_by_id(rolemap_core::RoleId(number)).await {
                Ok(role) => return Ok(role),
                Err(ServiceError::Store(rolemap_store::StoreError::NotFound { .. })) => {}
                Err(other) => return Err(other),
            }
        }
        let id = self.resolve_role(name, framework).await?;
        self.role_by_id(id).await
    }

    pub async fn skill(&self, name: &str, framework: Option<&str>) -> Result<SkillDetail> {
        // Ids and framework:key need no list of every name (a hundred thousand with ESCO).
        let text = name.trim();
        let reference = rolemap_core::bundle::ConceptRef::parse(text);
        let direct = match text.parse::<i64>() {
            Ok(number) => match self.store.skill(rolemap_core::SkillId(number)).await {
                Ok(_) => Some(rolemap_core::SkillId(number)),
                Err(rolemap_store::StoreError::NotFound { .. }) => None,
                Err(other) => return Err(other.into()),
            },
            Err(_) => match reference.framework.as_deref().or(framework) {
                Some(fw) => self.store.skill_by_key(fw, &reference.key).await?,
                None => None,
            },
        };
        let id = match direct {
            Some(id) => id,
            None => self.resolve_skill(name, framework, None).await?,
        };
        let skill = self.store.skill(id).await?;
        let framework = self
            .store
            .frameworks()
            .await?
            .into_iter()
            .rev()
            .find(|f| f.key == skill.framework_key);
        let required_by = self.store.roles_requiring(id).await?;
        let esco = self
            .store
            .esco_detail(rolemap_store::ConceptKind::Skill, id.0)
            .await?;
        Ok(SkillDetail {
            skill,
            framework,
            required_by,
            esco,
        })
    }

    pub async fn compare(&self, a: &str, b: &str) -> Result<Comparison> {
        self.compare_at(a, b, None, None).await
    }

    /// Compares two roles, the step taken from A at `a_grade` (default: its top grade) to B at
    /// `b_grade` (default: its entry grade).
    pub async fn compare_at(
        &self,
        a: &str,
        b: &str,
        a_grade: Option<&str>,
        b_grade: Option<&str>,
    ) -> Result<Comparison> {
        let a = self.role(a, None).await?;
        let mut b = self.role(b, None).await?;
        let check = |role: &Role, grade: Option<&str>, field: &'static str| {
            grade
                .map(|g| role.check_grade(g))
                .transpose()
                .map_err(|message| ServiceError::invalid(field, message))
        };
        let a_grade = check(&a, a_grade, "grade_a")?;
        let b_grade = check(&b, b_grade, "grade_b")?;
        self.align_mapped_skills(&a, &mut b).await?;
        Ok(compare::compare_at(
            &a,
            &b,
            a_grade.as_deref(),
            b_grade.as_deref(),
        ))
    }

    /// A job description for a role at a grade (required when the role has grades).
    pub async fn job_description(&self, role: &str, grade: Option<&str>) -> Result<JobDescription> {
        let role = self.role(role, None).await?;
        let grade = match grade {
            Some(grade) => Some(
                role.check_grade(grade)
                    .map_err(|message| ServiceError::invalid("grade", message))?,
            ),
            None if role.grades.is_empty() => None,
            None => {
                return Err(ServiceError::invalid(
                    "grade",
                    format!(
                        "role '{}' is found at {}; choose one with --grade",
                        role.title,
                        role.grades.join(", ")
                    ),
                ));
            }
        };
        Ok(jd::job_description(&role, grade.as_deref()))
    }
}
