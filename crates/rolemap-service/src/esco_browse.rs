//! ESCO's hierarchies and collections a page at a time, for the ESCO browsing pages: the ISCO
//! groups down to occupations, the skill groups down to skills, and the collections of skills.

use rolemap_store::{EscoBranch, EscoLink, EscoPillar};

use crate::{Result, Service, ServiceError};

/// The most concepts one page may ask for.
pub const MAX_ESCO_PAGE: u64 = 200;

fn check_limit(limit: u64) -> Result<()> {
    if limit == 0 || limit > MAX_ESCO_PAGE {
        return Err(ServiceError::invalid(
            "limit",
            format!("must be 1 to {MAX_ESCO_PAGE}, not {limit}"),
        ));
    }
    Ok(())
}

impl Service {
    /// A page of the concepts directly below `parent` (a URI) in one of the latest ESCO
    /// release's hierarchies, or of its top groups.
    pub async fn esco_branch(
        &self,
        pillar: EscoPillar,
        parent: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> Result<EscoBranch> {
        check_limit(limit)?;
        self.store
            .esco_branch(pillar, parent, offset, limit)
            .await?
            .ok_or_else(|| match parent {
                Some(uri) => ServiceError::NotFound {
                    what: "ESCO concept",
                    name: uri.to_owned(),
                    suggestions: Vec::new(),
                },
                None => no_release(),
            })
    }

    /// The latest ESCO release's collections of skills, with how many skills each holds.
    pub async fn esco_collections(&self) -> Result<Vec<(String, u64)>> {
        Ok(self.store.esco_collections().await?)
    }

    /// A page of one collection's skills and how many it holds; a collection no skill is in is
    /// not found, with the collections there are as suggestions.
    pub async fn esco_collection(
        &self,
        tag: &str,
        offset: u64,
        limit: u64,
    ) -> Result<(u64, Vec<EscoLink>)> {
        check_limit(limit)?;
        let (total, page) = self.store.esco_collection(tag, offset, limit).await?;
        if total == 0 {
            return Err(ServiceError::NotFound {
                what: "ESCO collection",
                name: tag.to_owned(),
                suggestions: self
                    .esco_collections()
                    .await?
                    .into_iter()
                    .map(|(tag, _)| tag)
                    .collect(),
            });
        }
        Ok((total, page))
    }
}

fn no_release() -> ServiceError {
    ServiceError::NotFound {
        what: "ESCO release",
        name: rolemap_formats::esco::FRAMEWORK_KEY.to_owned(),
        suggestions: Vec::new(),
    }
}
