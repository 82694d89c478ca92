//! The model read from an O*NET release: occupations with their tasks, titles and skill
//! ratings, the skills rated, related occupations and the two rating scales.

/// An O*NET release, checked: every code names an occupation of `Occupation Data.txt`.
#[derive(Debug, Clone, PartialEq)]
pub struct OnetData {
    /// The release (`29.2`).
    pub release: String,
    /// In file order.
    pub occupations: Vec<Occupation>,
    /// The skills `Skills.txt` rates, in the order it first names them.
    pub skills: Vec<SkillElement>,
    /// Importance (IM) as `Scales Reference.txt` gives it.
    pub importance_scale: ScaleRange,
    /// Level (LV) as `Scales Reference.txt` gives it.
    pub level_scale: ScaleRange,
    /// In file order; empty where the release has no `Related Occupations.txt`.
    pub related: Vec<Related>,
    /// The files read and their rows, in the order read.
    pub files: Vec<(String, usize)>,
}

impl OnetData {
    /// Ratings of every occupation, and how many of them are requirements.
    pub fn rating_counts(&self) -> (usize, usize) {
        let ratings = self.occupations.iter().flat_map(|o| &o.ratings);
        let all = ratings.clone().count();
        (all, ratings.filter(|r| r.is_requirement()).count())
    }
}

/// An occupation of `Occupation Data.txt` and what the other files say of it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Occupation {
    /// The O*NET-SOC code (`15-1252.00`).
    pub code: String,
    pub title: String,
    pub description: String,
    /// 1-5; `None` where `Job Zones.txt` gives none.
    pub job_zone: Option<u8>,
    /// In file order.
    pub tasks: Vec<Task>,
    pub alternate_titles: Vec<String>,
    /// Short forms of alternate titles (`CEO`), where given, each with the index of its
    /// alternate title in `alternate_titles`.
    pub short_titles: Vec<(usize, String)>,
    /// `Sample of Reported Titles.txt`.
    pub reported_titles: Vec<String>,
    /// In the order `Skills.txt` first rates each skill for this occupation.
    pub ratings: Vec<SkillRating>,
}

/// A task statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: u32,
    pub text: String,
    pub kind: TaskKind,
}

/// O*NET's task type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    Core,
    Supplemental,
    /// `n/a` or empty: the release does not say.
    NotGiven,
}

impl TaskKind {
    /// As rolemap stores it as a duty's category.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::Core => "core",
            TaskKind::Supplemental => "supplemental",
            TaskKind::NotGiven => "",
        }
    }
}

/// A skill of O*NET's content model (`2.A.1.a`, Reading Comprehension).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillElement {
    pub id: String,
    pub name: String,
    /// From `Content Model Reference.txt`; empty where it does not list the element.
    pub description: String,
    /// The name of the element above it in the content model (`Content`, `Social Skills`).
    pub group: String,
}

/// One occupation's ratings of one skill: its importance (IM) and its level (LV).
#[derive(Debug, Clone, PartialEq)]
pub struct SkillRating {
    /// Index into [`OnetData::skills`].
    pub skill: usize,
    pub importance: Rating,
    pub level: Rating,
}

impl SkillRating {
    /// A skill is a requirement of the occupation when both values are given and neither is
    /// marked Recommend Suppress (too uncertain to publish) or Not Relevant.
    pub fn is_requirement(&self) -> bool {
        [&self.importance, &self.level]
            .iter()
            .all(|r| r.number.is_some() && !r.suppress && !r.not_relevant)
    }
}

/// One row of `Skills.txt`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// The Data Value as written (`4.12`), so that it is shown as published.
    pub value: String,
    /// `None` for `n/a`.
    pub number: Option<f64>,
    pub suppress: bool,
    pub not_relevant: bool,
    pub line: usize,
}

/// A scale of `Scales Reference.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleRange {
    pub id: String,
    pub name: String,
    pub min: i32,
    pub max: i32,
}

/// A row of `Related Occupations.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub from: String,
    pub to: String,
    /// `Primary-Short`, `Primary-Long` or `Supplemental`.
    pub tier: String,
    /// Rank within the occupation's list.
    pub index: u32,
    pub line: usize,
}
