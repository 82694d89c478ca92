//! Frameworks as O*NET text releases: a framework imported from a release written back as the
//! files rolemap reads, from one place so that every front end writes the same bytes.

use rolemap_formats::onet::{self, OnetData, WrittenFile};

use crate::{Result, Service, ServiceError};

impl Service {
    /// The O*NET release the latest version of `framework` was imported from: the stored
    /// framework with what was kept beside it (ratings that are not requirements, short
    /// titles). A framework that did not come from a release is refused, since its skills have
    /// no O*NET ratings to write.
    pub async fn onet_release(&self, framework: &str) -> Result<OnetData> {
        let Some(bundle) = self.store.framework_bundle(framework, None).await? else {
            return Err(ServiceError::NotFound {
                what: "framework",
                name: framework.to_owned(),
                suggestions: Vec::new(),
            });
        };
        let kept = self.store.kept_objects(framework, onet::FORMAT).await?;
        let from_release = kept.is_some()
            || bundle.roles.iter().any(|r| {
                r.codes
                    .iter()
                    .any(|c| c.scheme == onet::CODE_SCHEME && c.value == r.key)
            });
        if !from_release {
            return Err(ServiceError::invalid(
                "framework",
                format!(
                    "'{framework}' was not imported from an O*NET release (`rolemap import \
                     onet`), so it has no O*NET ratings to write; export it as CASE, RSD, XLSX \
                     or CSV"
                ),
            ));
        }
        onet::from_bundle(&bundle, kept.as_deref()).map_err(ServiceError::Internal)
    }

    /// The release of [`Service::onet_release`] as its files, each name with its text.
    pub async fn onet_files(&self, framework: &str) -> Result<(OnetData, Vec<WrittenFile>)> {
        let data = self.onet_release(framework).await?;
        let files = onet::write_release(&data);
        Ok((data, files))
    }
}
