//! JSON body and query extractors whose failures are answered in rolemap's error shape, naming
//! the field where the parser can tell.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The field a serde message names: "assessments[0].lvl: unknown field `lvl`" gives the path,
/// "missing field `skill`" the name.
fn field_in(message: &str) -> Option<String> {
    if let Some((path, _)) = message.split_once(": ")
        && !path.is_empty()
        && !path.contains(' ')
    {
        return Some(path.to_owned());
    }
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_owned())
}

#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => {
                // A body over the limit (even one sent in chunks, with no length to refuse it
                // by) or of another type is not malformed JSON.
                let status = rejection.status();
                if matches!(
                    status,
                    StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNSUPPORTED_MEDIA_TYPE
                ) {
                    return Err(ApiError::for_status(status));
                }
                let message = match &rejection {
                    JsonRejection::JsonDataError(e) => std::error::Error::source(e)
                        .map_or_else(|| e.body_text(), |s| s.to_string()),
                    other => other.body_text(),
                };
                Err(ApiError::Malformed {
                    field: field_in(&message),
                    message,
                })
            }
        }
    }
}

#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => {
                let message = match &rejection {
                    QueryRejection::FailedToDeserializeQueryString(e) => e.body_text(),
                    other => other.body_text(),
                };
                Err(ApiError::Malformed {
                    field: field_in(&message),
                    message,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_field_in_serde_messages() {
        assert_eq!(
            super::field_in("missing field `skill` at line 1").as_deref(),
            Some("skill")
        );
        assert_eq!(super::field_in("expected a string"), None);
        assert_eq!(
            super::field_in("assessments[0].lvl: unknown field `lvl`").as_deref(),
            Some("assessments[0].lvl")
        );
    }
}
