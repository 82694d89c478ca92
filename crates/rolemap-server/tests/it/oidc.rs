//! Sign-in through an identity provider with OpenID Connect, against a provider this test starts
//! on 127.0.0.1 (discovery document, JWKS, `/authorize` that answers at once with a code, and
//! `/token` that checks the client and the PKCE verifier and returns an ID token signed with a
//! test key). The browser is played by hand: the app is driven with `oneshot`, the provider over
//! loopback; nothing leaves the machine.
//!
//! The two RSA keys below are test-only keys, made for these tests and used nowhere else.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get as get_route, post as post_route};
use axum::{Json, Router};
use jsonwebtoken::{Algorithm, EncodingKey, Header, jwk::Jwk};
use openidconnect::{PkceCodeChallenge, PkceCodeVerifier, reqwest};
use rolemap_server::AppState;
use rolemap_server::oidc::{Oidc, OidcConfig};
use rolemap_service::UserInput;
use rolemap_store::UserRole;
use serde_json::json;

use crate::{Reply, send_anonymous, state};

/// Test-only key: the provider's published signing key.
const PROVIDER_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC/zQ/W3W15FyB4
4ibvBDqFw84BNwyQLMYgtw+LesDgZIlkO2XDOJ4QcXW8ANm06DRh5i6gUQVEN0Ei
yinvcW1CpuE+q+SPkoWqPf6aPfPSWkR1BOBIM4e1mLljEsvbdfLRc88fB6/1GpwC
WV2ydAsWkUxyDQrwIgSQPPlwcJX5I4PHL4aO8t3w0e9pzvNvIkrk2XEhhpA6Z8xT
lA3JDfBrwtNQC7Vl+OCOxZmGgfazf4Ihk5jx6yc3F2BwvC4RIhtEd0TPsfNgKeyM
4iAY8pchfogCTOhk0jjktVuDeXveKjye1ShjyDutROSKTxHJc/WWOCcDx6zLAJsW
I5fWj7cNAgMBAAECggEAAMSvkSDqm8Zgj3JCwTBaVoSlLl8EagJKw1xnmliGue6f
c8sw7U6+zN7rSj6BGqey5UGwXOMulCvN0yJ4d3xdKjRgQuUB2tq1o8pSWwHRMNZI
x0As2ExvNh1AQ4bn5CV+2vyZ6puSLif6s+kKHTAsMXvaqRAzpShqreHOXEaEIcFN
H3Y24XMi9rgDnGzG5jIh9CVo2H4hLhxTBLXqfdNK3dsoR50IIasQJOgW18IRaulc
wS2Ojd/EMFegAw+IN5JW8gc5XbK6TFnDalIABhcGJ0fny6ahouGpvdT0i3eqVTEY
2se/B4Ehi7G7GSxFGnoMhoJemu8NdoYqWs/R77JMTQKBgQDuNsgP1UtpvWR+bjsi
OrtwzAFcepvV1viPE8NzfvsRvop5q8Z0vK+lixsoCzO905Ym3dPnL2nVw5j0Kc7i
RFEUVn/AN1jcBK9+IvQd+FFufu9b/+sWdMDtKlI6SH9rxLHJ2+8Q08SeC/ZT1Qq2
rB7VwrGKb3ccu9zhpdJRGaC/gwKBgQDOHyTF8m2cF0M8FRBR/1dV/ohEBNWAP7Kt
Z2VHSEmjpr3/u8nL75Xwg71ymw/H0th0Uuh+ci8QzLFLzMgEGFXW+WkWM04urzwQ
cHGM1gHVK9vPJxFkXDP6udjZNt8L37QGx1P1d269j/7OJLmdfGxu04kN0Z5Tu+rp
kXzklH3aLwKBgQCwAC+eayQV0wW91+m+54/3zfKvhjM/Ml5hL+P3oHkV6ibbsIun
UoWgFQASfPxUo1DMFJdstv5GHwcSVxVw3bLeCO7IcNwpaxjSZDbjMcXQkt58pb/m
zoqAcAVi5I+oayJEl0exshUSBJqR49TPlKoPm5KbSrHBvBd9bIvQudOnywKBgQDK
W2DqxLo/R8dGMRe4qInBbwWwYV6Jbf+opZ2Uga9p7sURT/cpM6lsWqme3gR8FM9U
RCDkIo16XLqixASJoKqFRo6YsP3Mb1T0fq+7qE5cTZaapKw6bxrIx7PQbEJFkfVX
wlD2563chIWPNBbWOdTqaNpgqq5ZXl+dtqt6bR2xGQKBgA6RukVhmeu1ViF6nq/o
iEOk+1aW6wKq7RNoXD1etcxY2UE52O2uddt5Fs8jM3K3GUpQUL0B3JP7dKlbc/zg
CuRZhsy8CiHF1s3A9fdyskGJt7EtnmYdVbnla9S+lHwPwvwIH37WxmCL8Xxa7+Jh
iFdH1h7IyTsv84/m4xUHlcnN
-----END PRIVATE KEY-----";
/// Test-only key: not published by the provider, for tokens signed by someone else.
const OTHER_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDFE+rOUqNJbixv
0KAxUi0o8tI2YxAwNSiiTjzycYlFNyFt6cRGCLVnjO6iPUUUdViD1bpcU4jvmUc2
m33tV4kjDwH+P9hiE9Jkd5RG0Rv/VZXDRWsNMt60u2XInElXWYO2NCckti7rxsBi
ZZGlzfthB+DhlKO30R0XeOt0Ezly58oxjLqYiX77DFNRRAKMgaxY6WNrspm/HT5G
lU2U6bP49QCm0BM1VWIDLsuYOTGT/+VlF0PZCGJXnMwGbtxfwYszCL3RVqKfCOel
L2OeeeVjElNUU1BRBkkSwwfExoMbWNdbNf9SYUmWeeV+znDYTW2ysWfCCLn1+A+x
tcopuz3vAgMBAAECggEAJHMHlXtROe6Hh3Klfhm9wnoOiQKPZuseBc7ElO6MveFx
bFu08mL/8hPtutHsKdl+MnvgCN1mUTIfKqldg/0RnwtSigyS36jc27oGEYbxT6sr
lL8NCpbi+7hBHfZR1jb3FkbVCoQrb24F/OzeIDVVjd+gJviPwxqI7+NsYL6BfI+w
3Ml3CEeL02pX9AC0jN0KWHr7AoYaGgX7t4j2xvYNiy5kvEWfPIbsTjN2rrVFESGh
kuLQVhCEKepKPjba/OXNzb19rvHrvlZZqr5JIbS0hPoDC2BRkFvrwDN9eTydDm1c
/1BLQOIDiWYGIshbABwFyUFl67eUL7p47P1ZzL7XsQKBgQDwilUsG3vw7TfW3E99
t4QhCR1nUt8vkmTtv957DtwPOD6l8kzKBRejcHRTdcFmQWFjhOCMTp/SPG4SGaKt
sCSk8ol+lHWLc603x9UmOYZX6QEsXVCq/mU6lH6gDevkAdM/j1wECB2a/M7MxQVL
HtLkrFkmjsUgK6zV7Ejsfh51dwKBgQDRvnwYlDBLsdN8WAxvw1JA6i4JSVurj4pX
S3/W5as2RGYu4y5p28cHxhOvJkqvlU10HZTTGvWZlIJsRp7VKXXwSzLouDWe7Pdz
GXDiLPb4KZu49jihduy/7EHLByxEQpeUG2fgnIBfhFMurIMC3biBLum/yxZ9Ww9g
uoAMMk35SQKBgEjKE6wdRQxLPLKQSJ3KgvlcQMGbml5S9qfbf//NJ1qTsqGVCRe5
IsYaqZj38WZ4MnhjJXBP+p0sHELt7wSQYQZpPqJHWqqwfqJ6nk3K6pR/thMuydJ0
2T044nicvd1pj/uT7kxqCEt2ZT4iANASq873OKMqYQyzKsIxln+6So1RAoGAVLOa
JcriXg8oGtTr4M5+Dx0DDlkDnhrPgUVKERyascWZhmHUQoewrqD9HgRWsOWYa8Xu
bfo7KJRivxsd1XNy32Fe48BQVyfXHjIt9gi2i60x59X3NK10GmVshHMXG1HRKMyQ
fJJ2/RvRA85C8gtcET9CwmNfZ6w4X5WxVDuUZZECgYA+pgWFvPF7qfsBV5/7kggS
+Z2yGwlYWpjCtgmfbSYP5ypBHRtnZz7vjUqCHNb0PnKhlVouhgAZLCrtGalzBbru
JijJ+vLZaVJY+ggjuDLD93cSMgn/uke0b1ldUCeXPRb7wQTb91kL50f8riO8dMHm
aJ76yF5IWHxqpoB23UBEjw==
-----END PRIVATE KEY-----";
const KEY_ID: &str = "test-key-1";
const CLIENT_ID: &str = "rolemap-test";
const CLIENT_SECRET: &str = "test-secret-not-for-production";
/// `Basic` + base64 of `rolemap-test:test-secret-not-for-production`.
const CLIENT_BASIC: &str = "Basic cm9sZW1hcC10ZXN0OnRlc3Qtc2VjcmV0LW5vdC1mb3ItcHJvZHVjdGlvbg==";
const PUBLIC_URL: &str = "http://rolemap.test";
const EMAIL: &str = "daniel.mensah@example.org";

/// What the provider does on the next sign-in; the tests change it to misbehave.
#[derive(Debug, Clone)]
struct Behaviour {
    email: String,
    email_verified: bool,
    /// Put this nonce in the ID token instead of the one asked for.
    nonce: Option<String>,
    /// Sign with [`OTHER_KEY`] (under the published key's id).
    other_key: bool,
    /// Keep a challenge other than the one sent, as for a code stolen by someone else.
    other_challenge: bool,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour {
            email: "Daniel.Mensah@EXAMPLE.org".to_owned(),
            email_verified: true,
            nonce: None,
            other_key: false,
            other_challenge: false,
        }
    }
}

/// An authorisation code's grant, kept until `/token`.
#[derive(Debug, Clone)]
struct Grant {
    nonce: String,
    challenge: String,
    redirect_uri: String,
    behaviour: Behaviour,
}

#[derive(Debug, Default)]
struct ProviderState {
    issuer: String,
    behaviour: Mutex<Behaviour>,
    grants: Mutex<HashMap<String, Grant>>,
    /// Every authorisation request's parameters, for the tests to read.
    authorized: Mutex<Vec<HashMap<String, String>>>,
    /// Each `/token` call's verdict on the PKCE verifier.
    verifier_checks: Mutex<Vec<bool>>,
}

type Provider = Arc<ProviderState>;

async fn discovery(State(provider): State<Provider>) -> Json<serde_json::Value> {
    let issuer = &provider.issuer;
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
    }))
}

async fn jwks() -> Json<serde_json::Value> {
    let key = EncodingKey::from_rsa_pem(PROVIDER_KEY.as_bytes()).expect("key");
    let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256).expect("jwk");
    jwk.common.key_id = Some(KEY_ID.to_owned());
    Json(json!({ "keys": [jwk] }))
}

async fn authorize(
    State(provider): State<Provider>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    provider.authorized.lock().unwrap().push(query.clone());
    let behaviour = provider.behaviour.lock().unwrap().clone();
    let code = format!("code-{}", provider.grants.lock().unwrap().len());
    let challenge = if behaviour.other_challenge {
        PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(
            "a-verifier-the-client-never-had-0123456789-abcdefghij".to_owned(),
        ))
        .as_str()
        .to_owned()
    } else {
        query["code_challenge"].clone()
    };
    let grant = Grant {
        nonce: query["nonce"].clone(),
        challenge,
        redirect_uri: query["redirect_uri"].clone(),
        behaviour,
    };
    provider.grants.lock().unwrap().insert(code.clone(), grant);
    let back = format!(
        "{}?code={code}&state={}",
        query["redirect_uri"], query["state"]
    );
    Redirect::to(&back).into_response()
}

fn token_error(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response()
}

async fn token(
    State(provider): State<Provider>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some(CLIENT_BASIC)
    {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "invalid_client" })),
        )
            .into_response();
    }
    let Some(grant) = form
        .get("code")
        .and_then(|code| provider.grants.lock().unwrap().remove(code))
    else {
        return token_error("invalid_grant");
    };
    if form.get("grant_type").map(String::as_str) != Some("authorization_code")
        || form.get("redirect_uri") != Some(&grant.redirect_uri)
    {
        return token_error("invalid_grant");
    }
    // PKCE (RFC 7636): the verifier's S256 must be the challenge sent to /authorize.
    let verified = form.get("code_verifier").is_some_and(|verifier| {
        PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(verifier.clone()))
            .as_str()
            == grant.challenge
    });
    provider.verifier_checks.lock().unwrap().push(verified);
    if !verified {
        return token_error("invalid_grant");
    }
    let behaviour = &grant.behaviour;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let claims = json!({
        "iss": provider.issuer,
        "sub": "user-123",
        "aud": CLIENT_ID,
        "exp": now + 300,
        "iat": now,
        "nonce": behaviour.nonce.clone().unwrap_or(grant.nonce.clone()),
        "email": behaviour.email,
        "email_verified": behaviour.email_verified,
    });
    let pem = if behaviour.other_key {
        OTHER_KEY
    } else {
        PROVIDER_KEY
    };
    let key = EncodingKey::from_rsa_pem(pem.as_bytes()).expect("key");
    let mut jwt_header = Header::new(Algorithm::RS256);
    jwt_header.kid = Some(KEY_ID.to_owned());
    let id_token = jsonwebtoken::encode(&jwt_header, &claims, &key).expect("signed");
    Json(json!({
        "access_token": "an-access-token",
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
    .into_response()
}

/// Starts the provider on a free loopback port; returns its state (issuer included).
async fn start_provider() -> Provider {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let issuer = format!("http://{}", listener.local_addr().expect("address"));
    let provider = Arc::new(ProviderState {
        issuer,
        ..ProviderState::default()
    });
    let app = Router::new()
        .route("/.well-known/openid-configuration", get_route(discovery))
        .route("/jwks", get_route(jwks))
        .route("/authorize", get_route(authorize))
        .route("/token", post_route(token))
        .with_state(provider.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    provider
}

fn config(issuer: &str) -> OidcConfig {
    OidcConfig {
        issuer: issuer.to_owned(),
        client_id: CLIENT_ID.to_owned(),
        client_secret: Some(CLIENT_SECRET.to_owned()),
        public_url: PUBLIC_URL.to_owned(),
        name: Some("Example SSO".to_owned()),
    }
}

/// rolemap with the demo team, a user for Daniel Mensah with [`EMAIL`], signing in through a
/// fresh test provider.
async fn setup() -> (AppState, Provider) {
    let provider = start_provider().await;
    let oidc = Oidc::discover(config(&provider.issuer))
        .await
        .expect("discovery");
    let state = state().await.with_oidc(oidc);
    state
        .service
        .add_user(
            &UserInput {
                username: "daniel".to_owned(),
                display_name: None,
                email: Some(EMAIL.to_owned()),
                role: UserRole::Employee,
                person: Some("daniel-mensah".to_owned()),
                password: "a long enough password".to_owned(),
                demo: false,
            },
            &rolemap_store::Actor::cli(),
        )
        .await
        .expect("user");
    (state, provider)
}

/// Every `name=value` the response sets, by name.
fn cookies_set(reply: &Reply) -> HashMap<String, String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

fn location(reply: &Reply) -> String {
    reply.headers[header::LOCATION]
        .to_str()
        .expect("text")
        .to_owned()
}

async fn get_with_cookie(state: &AppState, uri: &str, cookie: Option<&str>) -> Reply {
    let mut request = Request::get(uri);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send_anonymous(state, request.body(Body::empty()).expect("request")).await
}

/// The browser's part up to the callback: start at `/login/oidc`, follow the redirect to the
/// provider, which answers at once with a redirect to the callback. Returns the callback's path
/// and query, and the state cookie the start set.
async fn to_callback(state: &AppState) -> (String, String) {
    let start = get_with_cookie(state, "/login/oidc?next=/people", None).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
    let state_cookie = cookies_set(&start)["rolemap_oidc"].clone();
    let browser = reqwest::ClientBuilder::new()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let at_provider = browser
        .get(location(&start))
        .send()
        .await
        .expect("provider");
    assert!(at_provider.status().is_redirection());
    let back = at_provider.headers()[header::LOCATION.as_str()]
        .to_str()
        .expect("text")
        .to_owned();
    let path = back
        .strip_prefix(PUBLIC_URL)
        .unwrap_or_else(|| panic!("redirect URI not under the public URL: {back}"))
        .to_owned();
    assert!(path.starts_with("/login/oidc/callback?"), "{path}");
    (path, state_cookie)
}

/// A whole sign-in as the provider behaves now: the callback's reply.
async fn sign_in(state: &AppState) -> Reply {
    let (callback, state_cookie) = to_callback(state).await;
    let cookie = format!("rolemap_oidc={state_cookie}");
    get_with_cookie(state, &callback, Some(&cookie)).await
}

/// A refusal: the sign-in page with `message`, the status given, and no session.
fn assert_refused(reply: &Reply, status: StatusCode, message: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert!(reply.body.contains("Sign in"), "{}", reply.body);
    assert!(
        reply.body.contains(message),
        "'{message}' not in {}",
        reply.body
    );
    assert!(
        !cookies_set(reply).contains_key("rolemap_session"),
        "a refusal set a session: {:?}",
        reply.headers
    );
}

#[tokio::test]
async fn a_verified_email_of_a_user_signs_in_and_the_cookie_reads_people() {
    let (state, provider) = setup().await;
    let page = get_with_cookie(&state, "/login?next=/compare%3Fa%3D1%26b%3D2", None).await;
    assert!(
        page.body
            .contains("href=\"/login/oidc?next=/compare%3Fa%3D1%26b%3D2\"")
            && page.body.contains("Sign in with Example SSO"),
        "{}",
        page.body
    );

    let reply = sign_in(&state).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(location(&reply), "/people");
    let set = cookies_set(&reply);
    let session = set.get("rolemap_session").expect("session cookie").clone();
    assert_eq!(set["rolemap_oidc"], "", "the state cookie is cleared");

    let people = get_with_cookie(
        &state,
        "/people",
        Some(&format!("rolemap_session={session}")),
    )
    .await;
    assert_eq!(people.status, StatusCode::OK);
    assert!(
        people
            .body
            .contains("Signed in as <strong>Daniel Mensah</strong>"),
        "{}",
        people.body
    );
    assert!(people.body.contains("Daniel Mensah"));

    // The request carried PKCE (S256), a state and a nonce, and the provider checked the
    // verifier sent with the code against that challenge.
    let authorized = provider.authorized.lock().unwrap()[0].clone();
    assert_eq!(authorized["code_challenge_method"], "S256");
    assert_eq!(authorized["client_id"], CLIENT_ID);
    assert_eq!(
        authorized["redirect_uri"],
        "http://rolemap.test/login/oidc/callback"
    );
    assert!(authorized["scope"].split(' ').any(|s| s == "openid"));
    assert!(authorized["scope"].split(' ').any(|s| s == "email"));
    for field in ["state", "nonce", "code_challenge"] {
        assert!(authorized[field].len() >= 16, "{field}: {authorized:?}");
    }
    assert_eq!(*provider.verifier_checks.lock().unwrap(), vec![true]);
}

#[tokio::test]
async fn an_unverified_email_is_refused() {
    let (state, provider) = setup().await;
    provider.behaviour.lock().unwrap().email_verified = false;
    let reply = sign_in(&state).await;
    assert_refused(
        &reply,
        StatusCode::FORBIDDEN,
        "has not verified your email address",
    );
}

#[tokio::test]
async fn an_email_no_user_has_is_refused() {
    let (state, provider) = setup().await;
    provider.behaviour.lock().unwrap().email = "someone.else@example.org".to_owned();
    let reply = sign_in(&state).await;
    assert_refused(
        &reply,
        StatusCode::FORBIDDEN,
        "No rolemap user has the email address",
    );
}

#[tokio::test]
async fn a_disabled_user_is_refused() {
    let (state, _provider) = setup().await;
    state
        .service
        .set_user_disabled("daniel", true, &rolemap_store::Actor::cli())
        .await
        .expect("disable");
    let reply = sign_in(&state).await;
    assert_refused(
        &reply,
        StatusCode::FORBIDDEN,
        "Your rolemap user is disabled",
    );
}

#[tokio::test]
async fn an_id_token_with_another_nonce_is_refused() {
    let (state, provider) = setup().await;
    provider.behaviour.lock().unwrap().nonce = Some("a-nonce-from-another-sign-in".to_owned());
    let reply = sign_in(&state).await;
    assert_refused(&reply, StatusCode::FORBIDDEN, "failed its checks");
}

#[tokio::test]
async fn an_id_token_signed_by_another_key_is_refused() {
    let (state, provider) = setup().await;
    provider.behaviour.lock().unwrap().other_key = true;
    let reply = sign_in(&state).await;
    assert_refused(&reply, StatusCode::FORBIDDEN, "failed its checks");
}

#[tokio::test]
async fn a_callback_whose_state_does_not_match_is_refused() {
    let (state, _provider) = setup().await;
    // The state in the link is not the one this browser's cookie holds (a callback link sent to
    // a victim by someone who started the sign-in themselves).
    let (callback, state_cookie) = to_callback(&state).await;
    let (theirs, _) = to_callback(&state).await;
    let cookie = format!("rolemap_oidc={state_cookie}");
    let reply = get_with_cookie(&state, &theirs, Some(&cookie)).await;
    assert_refused(
        &reply,
        StatusCode::BAD_REQUEST,
        "was not started in this browser",
    );
    // A state nobody started.
    let forged = callback.replace("state=", "state=x");
    let reply = get_with_cookie(&state, &forged, Some(&cookie)).await;
    assert_refused(
        &reply,
        StatusCode::BAD_REQUEST,
        "was not started in this browser",
    );
    // No cookie at all.
    let reply = get_with_cookie(&state, &callback, None).await;
    assert_refused(
        &reply,
        StatusCode::BAD_REQUEST,
        "was not started in this browser",
    );
    // A state is used once: the right cookie no longer helps after that.
    let reply = get_with_cookie(&state, &callback, Some(&cookie)).await;
    assert_refused(
        &reply,
        StatusCode::BAD_REQUEST,
        "was not started in this browser",
    );
}

#[tokio::test]
async fn the_provider_checks_the_pkce_verifier_and_a_refused_exchange_signs_no_one_in() {
    let (state, provider) = setup().await;
    provider.behaviour.lock().unwrap().other_challenge = true;
    let reply = sign_in(&state).await;
    assert_refused(
        &reply,
        StatusCode::FORBIDDEN,
        "refused to complete the sign-in",
    );
    assert_eq!(*provider.verifier_checks.lock().unwrap(), vec![false]);
}

#[tokio::test]
async fn a_provider_error_at_the_callback_is_shown_and_signs_no_one_in() {
    let (state, _provider) = setup().await;
    let (callback, state_cookie) = to_callback(&state).await;
    let (_, query) = callback.split_once('?').expect("query");
    let state_param = query
        .split('&')
        .find(|p| p.starts_with("state="))
        .expect("state");
    let uri = format!("/login/oidc/callback?error=access_denied&{state_param}");
    let cookie = format!("rolemap_oidc={state_cookie}");
    let reply = get_with_cookie(&state, &uri, Some(&cookie)).await;
    assert_refused(
        &reply,
        StatusCode::FORBIDDEN,
        "did not sign you in (access_denied)",
    );
}

#[tokio::test]
async fn an_issuer_that_cannot_be_discovered_is_a_start_up_error_naming_it() {
    // A port that was free a moment ago: nothing answers there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let issuer = format!("http://{}", listener.local_addr().expect("address"));
    drop(listener);
    let error = Oidc::discover(config(&issuer))
        .await
        .expect_err("no provider");
    let text = error.to_string();
    assert!(
        text.contains(&issuer) && text.contains("discovery failed"),
        "{text}"
    );
}

#[tokio::test]
async fn without_a_provider_the_login_page_offers_none_and_its_paths_say_so() {
    let state = state().await;
    let page = get_with_cookie(&state, "/login", None).await;
    assert!(!page.body.contains("/login/oidc"), "{}", page.body);
    let start = get_with_cookie(&state, "/login/oidc", None).await;
    assert_eq!(start.status, StatusCode::NOT_FOUND);
    assert!(start.body.contains("not configured"));
}
