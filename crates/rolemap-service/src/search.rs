//! Search over every role and skill: the index of [`rolemap_search`], built from the store's texts
//! and rebuilt when the stored frameworks change (by this process or any other).

use std::collections::HashMap;
use std::sync::Arc;

use rolemap_formats::esco::{self, EscoData};
use rolemap_search::{
    FilesBeforeIds, Kind, MatchField, Query, SearchDoc, SearchError, SearchIndex,
};
use rolemap_store::{ConceptKind, ConceptText, ImportIndex};

use crate::{Result, Service, ServiceError};

/// The most results one search returns.
pub const MAX_LIMIT: usize = 200;

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchInput {
    pub text: String,
    /// Only roles or only skills.
    pub kind: Option<ConceptKind>,
    /// Only this framework (by key).
    pub framework: Option<String>,
    /// At most this many results, 1 to [`MAX_LIMIT`].
    pub limit: usize,
}

/// One role or skill found, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult {
    pub kind: ConceptKind,
    pub id: i64,
    pub framework: String,
    /// The framework's name, for people to read.
    pub framework_name: String,
    pub key: String,
    /// The preferred title or label.
    pub label: String,
    /// The label that matched, or for a description an excerpt around the first matched word.
    pub matched: String,
    /// Which text matched: "preferred", "alternative", "hidden" or "description".
    pub field: &'static str,
    /// In (0, 1]; higher is better.
    pub score: f32,
}

/// The index for one frameworks generation, and what its hits need beside it.
#[derive(Debug)]
pub(crate) struct BuiltIndex {
    index: SearchIndex,
    framework_names: HashMap<String, String>,
}

/// The index as last built, and a lock so that one task builds while the others wait for it.
#[derive(Debug, Default)]
pub(crate) struct SearchCache {
    current: std::sync::RwLock<Option<(i64, Arc<BuiltIndex>)>>,
    building: tokio::sync::Mutex<()>,
}

fn field_name(field: MatchField) -> &'static str {
    match field {
        MatchField::Preferred => "preferred",
        MatchField::Alternative => "alternative",
        MatchField::Hidden => "hidden",
        MatchField::Description => "description",
    }
}

fn search_kind(kind: ConceptKind) -> Kind {
    match kind {
        ConceptKind::Role => Kind::Role,
        ConceptKind::Skill => Kind::Skill,
    }
}

/// The index an ESCO import builds on another thread, handed to the store to keep in the
/// import's transaction.
struct IndexOnImport {
    /// The frameworks generation the other frameworks' texts were read at.
    generation: i64,
    /// The index, and its files written out but for the ids (`None` if that failed).
    receiver: std::sync::mpsc::Receiver<
        std::result::Result<(SearchIndex, Option<FilesBeforeIds>), SearchError>,
    >,
    /// The index once it has its ids, to serve searches after the import.
    built: Option<SearchIndex>,
}

impl ImportIndex for IndexOnImport {
    fn generation(&self) -> i64 {
        self.generation
    }

    fn files(
        &mut self,
        id_of: &dyn Fn(ConceptKind, &str) -> Option<i64>,
    ) -> Option<Vec<(String, Vec<u8>)>> {
        let (mut index, before_ids) = match self.receiver.recv() {
            Ok(Ok(built)) => built,
            Ok(Err(error)) => {
                tracing::warn!(%error, "could not build the search index");
                return None;
            }
            Err(_) => {
                tracing::warn!("building the search index stopped");
                return None;
            }
        };
        let mut unknown = 0;
        index.assign_ids(|kind, framework, key| {
            if framework != esco::FRAMEWORK_KEY {
                return None;
            }
            let kind = match kind {
                Kind::Role => ConceptKind::Role,
                Kind::Skill => ConceptKind::Skill,
            };
            let id = id_of(kind, key);
            unknown += usize::from(id.is_none());
            id
        });
        if unknown > 0 {
            tracing::warn!(unknown, "ESCO concepts of the search index are not stored");
            return None;
        }
        let files = before_ids.map(|files| files.finish(&index));
        self.built = Some(index);
        files
    }
}

/// An index's files: names and bytes.
type IndexFiles = Vec<(String, Vec<u8>)>;

/// Builds the index and writes it out as files to keep (`None` if that fails: searching does
/// not need them).
fn build_with_files(
    texts: Vec<ConceptText>,
    framework_names: HashMap<String, String>,
) -> Result<(BuiltIndex, Option<IndexFiles>)> {
    let built = build(texts, framework_names)?;
    let files = match built.index.to_files() {
        Ok(files) => Some(files),
        Err(error) => {
            tracing::warn!(%error, "could not write the search index out");
            None
        }
    };
    Ok((built, files))
}

/// A stored role's or skill's texts as the index takes them.
fn doc_of(text: ConceptText) -> SearchDoc {
    SearchDoc {
        kind: search_kind(text.kind),
        id: text.id,
        framework: text.framework_key,
        key: text.key,
        preferred: text.label,
        alternative: text.alternative,
        hidden: text.hidden,
        description: text.description,
    }
}

/// ESCO's occupations and skills as the index takes them: the texts `Store::concept_texts` gives
/// once they are stored as roles and skills (see `esco::to_bundle`), with ids still to come.
fn esco_docs(data: &EscoData) -> impl Iterator<Item = SearchDoc> + '_ {
    let roles = data.occupations.iter().map(|o| SearchDoc {
        kind: Kind::Role,
        id: 0,
        framework: esco::FRAMEWORK_KEY.to_owned(),
        key: o.uri.clone(),
        preferred: o.preferred_label.clone(),
        alternative: o.alt_labels.clone(),
        hidden: o.hidden_labels.clone(),
        description: o.description.clone(),
    });
    let skills = data.skills.iter().map(|s| SearchDoc {
        kind: Kind::Skill,
        id: 0,
        framework: esco::FRAMEWORK_KEY.to_owned(),
        key: s.uri.clone(),
        preferred: s.preferred_label.clone(),
        alternative: s.alt_labels.clone(),
        hidden: s.hidden_labels.clone(),
        description: s.description.clone(),
    });
    roles.chain(skills)
}

fn build(texts: Vec<ConceptText>, framework_names: HashMap<String, String>) -> Result<BuiltIndex> {
    let docs: Vec<SearchDoc> = texts.into_iter().map(doc_of).collect();
    let index = SearchIndex::build(docs).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(BuiltIndex {
        index,
        framework_names,
    })
}

impl Service {
    /// Ranked roles and skills whose labels or descriptions match `input.text`, tolerant of typos
    /// and word order; each result names the label it matched.
    pub async fn search(&self, input: &SearchInput) -> Result<Vec<SearchResult>> {
        if input.text.trim().is_empty() {
            return Err(ServiceError::invalid("text", "say what to search for"));
        }
        if input.limit == 0 || input.limit > MAX_LIMIT {
            return Err(ServiceError::invalid(
                "limit",
                format!("must be 1 to {MAX_LIMIT}, not {}", input.limit),
            ));
        }
        if let Some(framework) = &input.framework {
            self.check_framework(framework).await?;
        }
        let built = self.search_index().await?;
        let mut query = Query::new(input.text.as_str()).limit(input.limit);
        if let Some(kind) = input.kind {
            query = query.kind(search_kind(kind));
        }
        if let Some(framework) = &input.framework {
            query = query.framework(framework.as_str());
        }
        let hits = built
            .index
            .search(&query)
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let shown = self.qualifiers().await?;
        Ok(hits
            .into_iter()
            .map(|hit| SearchResult {
                kind: match hit.kind {
                    Kind::Role => ConceptKind::Role,
                    Kind::Skill => ConceptKind::Skill,
                },
                id: hit.id,
                framework_name: built
                    .framework_names
                    .get(&hit.framework)
                    .cloned()
                    .unwrap_or_else(|| hit.framework.clone()),
                key: hit.key,
                framework: hit.framework,
                // A skill whose label another of its framework shares says which it is.
                label: match hit.kind {
                    Kind::Skill => shown
                        .get(&rolemap_core::SkillId(hit.id))
                        .map_or(hit.label.clone(), |q| {
                            rolemap_core::label::shown(&hit.label, q)
                        }),
                    Kind::Role => hit.label,
                },
                matched: hit.matched,
                field: field_name(hit.field),
                score: hit.score,
            })
            .collect())
    }

    /// Builds the search index now unless the current one is up to date, so that the first
    /// search does not wait for it (a server calls this at start and after imports).
    pub async fn warm_search(&self) -> Result<()> {
        self.search_index().await.map(|_| ())
    }

    /// The index for the current frameworks generation, built if needed (off the async threads:
    /// all of ESCO takes a few tenths of a second).
    pub(crate) async fn search_index(&self) -> Result<Arc<BuiltIndex>> {
        let generation = self.store.frameworks_generation().await?;
        if let Some(built) = self.current_search_index(generation) {
            return Ok(built);
        }
        let _building = self.search.building.lock().await;
        let generation = self.store.frameworks_generation().await?;
        if let Some(built) = self.current_search_index(generation) {
            return Ok(built);
        }
        let framework_names = self.framework_names().await?;
        let kept = match self.store.search_index_files(generation).await {
            Ok(kept) => kept,
            Err(error) => {
                tracing::warn!(%error, "could not read the kept search index; building it");
                None
            }
        };
        let opened = match kept {
            Some(files) => tokio::task::spawn_blocking(move || SearchIndex::from_files(&files))
                .await
                .map_err(|e| ServiceError::Internal(format!("opening the search index: {e}")))?
                .map_err(|error| {
                    tracing::warn!(%error, "the kept search index does not open; building it");
                })
                .ok(),
            None => None,
        };
        let built = match opened {
            Some(index) => BuiltIndex {
                index,
                framework_names,
            },
            None => {
                let texts = self.store.concept_texts().await?;
                let (built, files) =
                    tokio::task::spawn_blocking(move || build_with_files(texts, framework_names))
                        .await
                        .map_err(|e| {
                            ServiceError::Internal(format!("building the search index: {e}"))
                        })??;
                if let Some(files) = files {
                    // A cache: when it cannot be written (a read-only database, say) searches
                    // still work.
                    if let Err(error) = self.store.keep_search_index_files(generation, &files).await
                    {
                        tracing::warn!(%error, "could not keep the search index");
                    }
                }
                built
            }
        };
        let built = Arc::new(built);
        if let Ok(mut current) = self.search.current.write() {
            *current = Some((generation, Arc::clone(&built)));
        }
        Ok(built)
    }

    /// Imports ESCO while another thread builds the index of every framework as they will be
    /// after it (the others as stored, ESCO from `data`); once the store has given ESCO's roles
    /// and skills their ids, the index takes them and is kept in the import's own transaction,
    /// for the generation the import makes, so the release is searchable from the commit on.
    /// Should anything else have changed the frameworks meanwhile, the store keeps nothing and
    /// the next search builds the index from the store as usual. Problems with the index never
    /// fail the import.
    pub(crate) async fn import_esco_indexed(
        &self,
        data: Arc<EscoData>,
        actor: &rolemap_store::Actor,
        now: &str,
    ) -> Result<rolemap_store::ImportOutcome> {
        let stored = self
            .store
            .frameworks()
            .await?
            .iter()
            .any(|f| f.key == esco::FRAMEWORK_KEY && f.version == data.version);
        if stored {
            return Ok(self.store.import_esco(&data, actor, now).await?);
        }
        let before = self.store.frameworks_generation().await?;
        let docs: Vec<SearchDoc> = self
            .store
            .concept_texts()
            .await?
            .into_iter()
            .filter(|t| t.framework_key != esco::FRAMEWORK_KEY)
            .map(doc_of)
            .collect();
        let started = std::time::Instant::now();
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        let release = Arc::clone(&data);
        // Not awaited: the store waits for the index through `receiver` (or the import fails
        // first, and the index is dropped once built).
        drop(tokio::task::spawn_blocking(move || {
            // ESCO's concepts are copied for the index one at a time, here rather than before
            // the store may start. Written out here too, while the store is still busy; the ids
            // follow once it is done.
            let docs = docs.into_iter().chain(esco_docs(&release));
            let index = SearchIndex::build(docs).map(|index| {
                let files = index
                    .to_files_before_ids()
                    .map_err(|error| tracing::warn!(%error, "could not write the search index out"))
                    .ok();
                (index, files)
            });
            tracing::debug!(ms = started.elapsed().as_millis(), "search index built");
            // The import may have failed and gone: then nobody wants the index.
            let _ = sender.send(index);
        }));
        let mut building = IndexOnImport {
            generation: before,
            receiver,
            built: None,
        };
        let outcome = self
            .store
            .import_esco_indexed(&data, actor, now, &mut building)
            .await?;
        tracing::debug!(ms = started.elapsed().as_millis(), "stored");
        if outcome.created
            && let Some(index) = building.built
        {
            let built = Arc::new(BuiltIndex {
                index,
                framework_names: self.framework_names().await?,
            });
            if let Ok(mut current) = self.search.current.write() {
                *current = Some((before + 1, built));
            }
        }
        Ok(outcome)
    }

    /// Each framework's name by key (the latest version's), for results to name their framework.
    async fn framework_names(&self) -> Result<HashMap<String, String>> {
        Ok(self
            .store
            .frameworks()
            .await?
            .into_iter()
            .map(|f| (f.key, f.name))
            .collect())
    }

    fn current_search_index(&self, generation: i64) -> Option<Arc<BuiltIndex>> {
        let current = self.search.current.read().ok()?;
        match &*current {
            Some((built_for, built)) if *built_for == generation => Some(Arc::clone(built)),
            _ => None,
        }
    }
}
