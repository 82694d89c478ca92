//! Sign-in through an organisation's identity provider with OpenID Connect (the authorisation
//! code flow with PKCE).
//!
//! At start-up [`Oidc::discover`] reads the provider's discovery document and signing keys
//! (a failure is an error naming the issuer). `GET /login/oidc` then keeps a random state, a
//! nonce and a PKCE verifier here, server-side, for [`PENDING_FOR`], and sends the browser to the
//! provider with the state, the nonce and the verifier's S256 challenge; the state also goes to
//! the browser in a short-lived cookie, so that a callback is only accepted in the browser that
//! started it (else anyone could sign a victim in as themselves by sending them a callback link).
//! `GET /login/oidc/callback` takes the pending sign-in back by its state (once: a state is
//! forgotten when used), exchanges the code with the verifier, and has `openidconnect` check the
//! ID token: its signature by the provider's keys, issuer, audience, expiry and nonce. Only an
//! email address the provider says it verified is handed on; matching it to a user, and the
//! session, are the service's.
//!
//! The provider's keys are read again when they are older than [`KEYS_FOR`], so a provider that
//! rotates its keys needs no restart. The HTTP client follows no redirects (a redirect could point
//! the server at an address of the attacker's choosing) and speaks TLS with rustls.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, TokenResponse, reqwest,
};

/// How long a sign-in started at `/login/oidc` may take at the provider.
pub const PENDING_FOR: Duration = Duration::from_secs(10 * 60);
/// At most this many sign-ins are kept waiting; past it the oldest is dropped, so that a flood
/// of started sign-ins cannot grow the server's memory.
const MAX_PENDING: usize = 10_000;
/// How long the provider's discovery document and keys are used before they are read again.
pub const KEYS_FOR: Duration = Duration::from_secs(60 * 60);
/// How long one request to the provider may take.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);
/// The cookie that ties a callback to the browser that started the sign-in.
pub const STATE_COOKIE: &str = "rolemap_oidc";
/// The path the provider sends the browser back to, under the public URL.
pub const CALLBACK_PATH: &str = "/login/oidc/callback";

/// What the operator configured; the binary reads it from flags and the environment.
#[derive(Clone)]
pub struct OidcConfig {
    /// The issuer URL exactly as the provider states it in its discovery document.
    pub issuer: String,
    pub client_id: String,
    /// `None` for a public client, which proves itself by PKCE alone.
    pub client_secret: Option<String>,
    /// Where browsers reach rolemap (`https://rolemap.example.org`); the redirect URI
    /// registered at the provider is this followed by [`CALLBACK_PATH`].
    pub public_url: String,
    /// The provider's name on the sign-in button; "your organisation" when not given.
    pub name: Option<String>,
}

// By hand, so that the secret never reaches a log through `{:?}`.
impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "..."))
            .field("public_url", &self.public_url)
            .field("name", &self.name)
            .finish()
    }
}

impl OidcConfig {
    /// The redirect URI to register at the provider.
    pub fn redirect_uri(&self) -> String {
        format!("{}{CALLBACK_PATH}", self.public_url.trim_end_matches('/'))
    }
}

/// Why the provider could not be used at start-up.
#[derive(Debug)]
pub struct DiscoveryError {
    pub issuer: String,
    pub reason: String,
}

impl std::fmt::Display for DiscoveryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OpenID Connect issuer {}: {}", self.issuer, self.reason)
    }
}

impl std::error::Error for DiscoveryError {}

/// Why a callback signed no one in. The messages are the visitor's; none holds what the
/// provider sent beyond an error code of its standard form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No pending sign-in has this state, it has expired, or this browser did not start it.
    BadState,
    /// The provider answered with an error instead of a code (`access_denied`, ...).
    Provider(String),
    /// The provider refused to exchange the code (a wrong PKCE verifier, an expired code).
    Exchange,
    /// The provider could not be reached.
    Unreachable,
    /// The ID token is missing or failed a check (signature, issuer, audience, expiry, nonce).
    Token,
    /// The ID token holds no email address, or one the provider has not verified.
    Unverified,
}

impl Refusal {
    /// The status the callback answers with: 400 for a request that was not a sign-in in
    /// progress, 502 when the provider is out of reach, 403 for a refusal.
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            Refusal::BadState => StatusCode::BAD_REQUEST,
            Refusal::Unreachable => StatusCode::BAD_GATEWAY,
            _ => StatusCode::FORBIDDEN,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Refusal::BadState => "This sign-in was not started in this browser or has expired. \
                                  Please sign in again."
                .to_owned(),
            Refusal::Provider(code) => {
                format!("Your identity provider did not sign you in ({code}).")
            }
            Refusal::Exchange => {
                "Your identity provider refused to complete the sign-in. Please sign in again."
                    .to_owned()
            }
            Refusal::Unreachable => {
                "Your identity provider could not be reached. Please try again later.".to_owned()
            }
            Refusal::Token => {
                "The identity provider's answer failed its checks, so it signs no one in."
                    .to_owned()
            }
            Refusal::Unverified => "Your identity provider has not verified your email address, \
                                    so it cannot be matched to a rolemap user."
                .to_owned(),
        }
    }

    /// A short name for the log (which holds no email address).
    pub fn as_str(&self) -> &'static str {
        match self {
            Refusal::BadState => "bad_state",
            Refusal::Provider(_) => "provider_error",
            Refusal::Exchange => "code_exchange_refused",
            Refusal::Unreachable => "provider_unreachable",
            Refusal::Token => "id_token_rejected",
            Refusal::Unverified => "email_not_verified",
        }
    }
}

/// The client as discovery makes it: an authorisation endpoint for sure, a token endpoint
/// perhaps (checked when discovered).
type DiscoveredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The provider as last discovered.
#[derive(Debug)]
struct Provider {
    client: DiscoveredClient,
    /// The signing algorithms the provider says it uses for ID tokens (never `none`).
    algorithms: Vec<CoreJwsSigningAlgorithm>,
    read_at: Instant,
}

/// A sign-in waiting for the provider's callback.
#[derive(Debug)]
struct Pending {
    verifier: PkceCodeVerifier,
    nonce: Nonce,
    next: String,
    started: Instant,
}

/// The sign-ins waiting for the provider's callback, by state: each for [`PENDING_FOR`] at
/// most, and at most `capacity` of them (past it the oldest is dropped, so that a flood of
/// started sign-ins cannot grow the server's memory).
#[derive(Debug)]
struct PendingSignIns {
    capacity: usize,
    waiting: Mutex<HashMap<String, Pending>>,
}

impl PendingSignIns {
    fn new(capacity: usize) -> PendingSignIns {
        PendingSignIns {
            capacity,
            waiting: Mutex::default(),
        }
    }

    fn insert(&self, state: String, pending: Pending, now: Instant) {
        let Ok(mut waiting) = self.waiting.lock() else {
            return;
        };
        waiting.retain(|_, p| now.saturating_duration_since(p.started) < PENDING_FOR);
        while waiting.len() >= self.capacity {
            let Some(oldest) = waiting
                .iter()
                .min_by_key(|(_, p)| p.started)
                .map(|(key, _)| key.clone())
            else {
                break;
            };
            waiting.remove(&oldest);
        }
        waiting.insert(state, pending);
    }

    /// Takes back the sign-in of `state`, if this browser (by its `cookie`) started it and it
    /// has not expired. A state is used once whatever follows, a wrong cookie included.
    fn take(&self, state: &str, cookie: Option<&str>, now: Instant) -> Option<Pending> {
        let pending = self.waiting.lock().ok()?.remove(state)?;
        (cookie == Some(state) && now.saturating_duration_since(pending.started) < PENDING_FOR)
            .then_some(pending)
    }
}

/// The configured identity provider and the sign-ins in progress.
#[derive(Debug)]
pub struct Oidc {
    config: OidcConfig,
    http: reqwest::Client,
    provider: RwLock<Arc<Provider>>,
    pending: PendingSignIns,
}

/// An error and its causes on one line ("request failed: connection refused").
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl Oidc {
    /// Reads the provider's discovery document and keys. Any failure names the issuer.
    pub async fn discover(config: OidcConfig) -> Result<Oidc, DiscoveryError> {
        let fail = |reason: String| DiscoveryError {
            issuer: config.issuer.clone(),
            reason,
        };
        if config.client_id.trim().is_empty() {
            return Err(fail("the client id is empty".to_owned()));
        }
        let public_url = config.public_url.trim_end_matches('/');
        if !(public_url.starts_with("https://") || public_url.starts_with("http://"))
            || public_url.contains(['?', '#'])
        {
            return Err(fail(format!(
                "the public URL '{}' must be an http:// or https:// address without a query",
                config.public_url
            )));
        }
        RedirectUrl::new(config.redirect_uri())
            .map_err(|e| fail(format!("the redirect URI {}: {e}", config.redirect_uri())))?;
        let http = reqwest::ClientBuilder::new()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()
            .map_err(|e| fail(format!("no HTTP client: {}", chain(&e))))?;
        let provider = Self::read_provider(&config, &http).await.map_err(fail)?;
        Ok(Oidc {
            config,
            http,
            provider: RwLock::new(Arc::new(provider)),
            pending: PendingSignIns::new(MAX_PENDING),
        })
    }

    async fn read_provider(
        config: &OidcConfig,
        http: &reqwest::Client,
    ) -> Result<Provider, String> {
        let issuer =
            IssuerUrl::new(config.issuer.clone()).map_err(|e| format!("not a URL: {e}"))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, http)
            .await
            .map_err(|e| format!("discovery failed: {}", chain(&e)))?;
        if metadata.token_endpoint().is_none() {
            return Err("the discovery document names no token endpoint".to_owned());
        }
        let algorithms: Vec<CoreJwsSigningAlgorithm> = metadata
            .id_token_signing_alg_values_supported()
            .iter()
            .filter(|alg| **alg != CoreJwsSigningAlgorithm::None)
            .cloned()
            .collect();
        let redirect = RedirectUrl::new(config.redirect_uri()).map_err(|e| e.to_string())?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(config.client_id.clone()),
            config.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect);
        Ok(Provider {
            client,
            algorithms,
            read_at: Instant::now(),
        })
    }

    /// The provider as discovered, read again first when its keys are older than [`KEYS_FOR`]
    /// (if that fails, the keys already read are kept and the failure logged).
    async fn provider(&self) -> Arc<Provider> {
        let current = match self.provider.read() {
            Ok(provider) => provider.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        if current.read_at.elapsed() < KEYS_FOR {
            return current;
        }
        match Self::read_provider(&self.config, &self.http).await {
            Ok(fresh) => {
                let fresh = Arc::new(fresh);
                if let Ok(mut provider) = self.provider.write() {
                    *provider = fresh.clone();
                }
                fresh
            }
            Err(reason) => {
                tracing::warn!(issuer = %self.config.issuer, %reason, "could not read the identity provider again");
                current
            }
        }
    }

    /// The provider's name for the sign-in button.
    pub fn name(&self) -> &str {
        self.config.name.as_deref().unwrap_or("your organisation")
    }

    /// Starts a sign-in that returns to `next` (a local path): the provider's authorisation URL
    /// to send the browser to, and the state to give the browser in [`STATE_COOKIE`].
    pub async fn begin(&self, next: String) -> (String, String) {
        let provider = self.provider().await;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = provider
            .client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        let pending = Pending {
            verifier,
            nonce,
            next,
            started: Instant::now(),
        };
        self.pending
            .insert(state.secret().clone(), pending, Instant::now());
        (url.to_string(), state.secret().clone())
    }

    /// Finishes a sign-in at the callback: the local path the sign-in returns to ("/" when
    /// the state is not known), and the verified email address or why no one is signed in.
    pub async fn finish(
        &self,
        callback: Callback,
        cookie: Option<&str>,
    ) -> (String, Result<String, Refusal>) {
        let Some(mut pending) = callback
            .state
            .as_deref()
            .and_then(|state| self.pending.take(state, cookie, Instant::now()))
        else {
            return ("/".to_owned(), Err(Refusal::BadState));
        };
        let next = std::mem::take(&mut pending.next);
        (next, self.verify(callback, pending).await)
    }

    async fn verify(&self, callback: Callback, pending: Pending) -> Result<String, Refusal> {
        if let Some(error) = callback.error {
            // Only a code of the standard's form is shown back; anything else is the link's.
            let code = if !error.is_empty()
                && error.len() <= 64
                && error.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
            {
                error
            } else {
                "error".to_owned()
            };
            return Err(Refusal::Provider(code));
        }
        let code = callback.code.ok_or(Refusal::BadState)?;
        let provider = self.provider().await;
        let request = provider
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| {
                tracing::error!(error = %chain(&e), "no token endpoint");
                Refusal::Exchange
            })?
            .set_pkce_verifier(pending.verifier);
        let response = request.request_async(&self.http).await.map_err(|e| {
            let refusal = match &e {
                RequestTokenError::Request(_) => Refusal::Unreachable,
                _ => Refusal::Exchange,
            };
            tracing::warn!(error = %chain(&e), "the identity provider did not exchange the code");
            refusal
        })?;
        let id_token = response.id_token().ok_or_else(|| {
            tracing::warn!("the identity provider's token response holds no ID token");
            Refusal::Token
        })?;
        let verifier = provider
            .client
            .id_token_verifier()
            .set_allowed_algs(provider.algorithms.clone());
        let claims = id_token.claims(&verifier, &pending.nonce).map_err(|e| {
            tracing::warn!(error = %chain(&e), "ID token rejected");
            Refusal::Token
        })?;
        // The access token must be the one issued with this ID token, when the token says so.
        if let Some(expected) = claims.access_token_hash() {
            let actual = id_token
                .signing_alg()
                .ok()
                .zip(id_token.signing_key(&verifier).ok())
                .and_then(|(alg, key)| {
                    AccessTokenHash::from_token(response.access_token(), alg, key).ok()
                });
            if actual.as_ref() != Some(expected) {
                tracing::warn!("ID token rejected: its access token hash does not match");
                return Err(Refusal::Token);
            }
        }
        match (claims.email(), claims.email_verified()) {
            (Some(email), Some(true)) => Ok(email.as_str().to_owned()),
            _ => Err(Refusal::Unverified),
        }
    }
}

/// What the provider sends back to [`CALLBACK_PATH`].
#[derive(Debug, Default, serde::Deserialize)]
pub struct Callback {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn pending(next: &str, started: Instant) -> Pending {
        Pending {
            verifier: PkceCodeVerifier::new("v".repeat(43)),
            nonce: Nonce::new("n".to_owned()),
            next: next.to_owned(),
            started,
        }
    }

    #[test]
    fn a_pending_sign_in_is_taken_once_and_only_with_its_cookie() {
        let signins = PendingSignIns::new(10);
        let now = Instant::now();
        signins.insert("s1".to_owned(), pending("/people", now), now);
        signins.insert("s2".to_owned(), pending("/", now), now);
        assert!(
            signins.take("s1", Some("s2"), now).is_none(),
            "another cookie"
        );
        assert!(
            signins.take("s1", Some("s1"), now).is_none(),
            "a wrong cookie used the state up"
        );
        let taken = signins.take("s2", Some("s2"), now).unwrap();
        assert_eq!(taken.next, "/");
        assert!(signins.take("s2", Some("s2"), now).is_none(), "used once");
        assert!(signins.take("unknown", Some("unknown"), now).is_none());
    }

    #[test]
    fn a_pending_sign_in_expires_after_ten_minutes() {
        let signins = PendingSignIns::new(10);
        let start = Instant::now();
        signins.insert("s".to_owned(), pending("/", start), start);
        let late = start + PENDING_FOR;
        assert!(signins.take("s", Some("s"), late).is_none());
        signins.insert("t".to_owned(), pending("/", start), start);
        let in_time = start + PENDING_FOR - Duration::from_secs(1);
        assert!(signins.take("t", Some("t"), in_time).is_some());
    }

    #[test]
    fn pending_sign_ins_are_bounded_and_the_oldest_goes_first() {
        let signins = PendingSignIns::new(3);
        let start = Instant::now();
        for i in 0..5u64 {
            let at = start + Duration::from_secs(i);
            signins.insert(format!("s{i}"), pending("/", at), at);
        }
        let now = start + Duration::from_secs(5);
        assert_eq!(signins.waiting.lock().unwrap().len(), 3);
        for gone in ["s0", "s1"] {
            assert!(signins.take(gone, Some(gone), now).is_none(), "{gone}");
        }
        for kept in ["s2", "s3", "s4"] {
            assert!(signins.take(kept, Some(kept), now).is_some(), "{kept}");
        }
    }

    #[test]
    fn the_secret_is_not_in_the_configuration_s_debug_text() {
        let config = OidcConfig {
            issuer: "https://login.example.org".to_owned(),
            client_id: "rolemap".to_owned(),
            client_secret: Some("s3cr3t-value".to_owned()),
            public_url: "https://rolemap.example.org/".to_owned(),
            name: None,
        };
        assert!(!format!("{config:?}").contains("s3cr3t-value"));
        assert_eq!(
            config.redirect_uri(),
            "https://rolemap.example.org/login/oidc/callback"
        );
    }
}
