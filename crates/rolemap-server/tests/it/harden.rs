//! What a hostile page or client could make the server do: foreign hosts and origins, forms
//! without their token, missing security headers, error answers out of shape.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rolemap_service::DEMO_PASSWORD;

use crate::{
    Reply, anonymous_form_token, get, post_form_with, send, send_anonymous, state, token_in,
};

fn with(uri: &str, method: &str, headers: &[(&str, &str)], body: &str) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::from(body.to_owned())).expect("request")
}

const PERSON: &str = r#"{"name":"Mallory Planted"}"#;

async fn people_count(state: &rolemap_server::AppState) -> usize {
    get(state, "/api/v1/people")
        .await
        .json()
        .as_array()
        .expect("list")
        .len()
}

#[tokio::test]
async fn a_foreign_host_is_refused_421_on_the_api_and_pages() {
    let state = state().await;
    let api = send(
        &state,
        with("/api/v1/people", "GET", &[("host", "evil.example")], ""),
    )
    .await;
    assert_eq!(api.status, StatusCode::MISDIRECTED_REQUEST);
    assert_eq!(api.json()["error"]["code"], "misdirected");
    assert!(!api.body.contains("Aisha"), "no data for a foreign host");
    let page = send(
        &state,
        with(
            "/people",
            "GET",
            &[("host", "localhost.evil.example:8080")],
            "",
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::MISDIRECTED_REQUEST);
    assert!(page.content_type.starts_with("text/html"), "{page:?}");
    let ours = send(
        &state,
        with("/api/v1/people", "GET", &[("host", "127.0.0.1:8080")], ""),
    )
    .await;
    assert_eq!(ours.status, StatusCode::OK);
}

#[tokio::test]
async fn the_public_url_names_another_host_the_server_answers() {
    let state = state()
        .await
        .with_public_url("https://rolemap.example.org")
        .expect("url");
    let reply = send(
        &state,
        with("/healthz", "GET", &[("host", "rolemap.example.org")], ""),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn a_foreign_origin_or_cross_site_write_is_refused_and_writes_nothing() {
    let state = state().await;
    let before = people_count(&state).await;
    for headers in [
        [("origin", "https://evil.example")],
        [("origin", "null")],
        [("sec-fetch-site", "cross-site")],
    ] {
        let mut all = vec![("content-type", "application/json")];
        all.extend(headers);
        let reply = send(&state, with("/api/v1/people", "POST", &all, PERSON)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert_eq!(reply.json()["error"]["code"], "forbidden");
    }
    assert_eq!(people_count(&state).await, before);
    let same = send(
        &state,
        with(
            "/api/v1/people",
            "POST",
            &[
                ("content-type", "application/json"),
                ("origin", "http://localhost:8080"),
            ],
            PERSON,
        ),
    )
    .await;
    assert_eq!(same.status, StatusCode::CREATED, "{}", same.body);
}

#[tokio::test]
async fn an_api_write_carried_by_a_session_cookie_needs_this_sites_origin() {
    let state = state().await;
    let reply = send(
        &state,
        with(
            "/api/v1/people",
            "POST",
            &[
                ("content-type", "application/json"),
                ("cookie", "rolemap_session=whatever"),
            ],
            PERSON,
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.json()["error"]["code"], "forbidden");
}

#[tokio::test]
async fn a_form_without_its_token_or_with_anothers_is_refused() {
    let state = state().await;
    state.service.add_demo_users().await.expect("demo users");
    let body = format!("username=grace&password={DEMO_PASSWORD}&next=/");
    let bare = send_anonymous(
        &state,
        with(
            "/login",
            "POST",
            &[("content-type", "application/x-www-form-urlencoded")],
            &body,
        ),
    )
    .await;
    assert_eq!(bare.status, StatusCode::FORBIDDEN);
    assert!(bare.content_type.starts_with("text/html"));
    assert!(
        bare.headers.get(header::SET_COOKIE).is_none(),
        "not signed in"
    );
    let (cookie, _) = anonymous_form_token(&state).await;
    let (_, other_token) = anonymous_form_token(&state).await;
    let wrong = post_form_with(&state, "/login", &body, &cookie, &other_token).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let (cookie, token) = anonymous_form_token(&state).await;
    let right = post_form_with(&state, "/login", &body, &cookie, &token).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    // Signed in, the token is bound to the session: the anonymous one no longer serves.
    let session = right.headers[header::SET_COOKIE]
        .to_str()
        .expect("text")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    let out = post_form_with(&state, "/logout", "", &session, &token).await;
    assert_eq!(out.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_form_token_never_lands_in_a_cached_page() {
    let state = state().await;
    state.service.add_demo_users().await.expect("demo users");
    let (cookie, token) = anonymous_form_token(&state).await;
    let body = format!("username=grace&password={DEMO_PASSWORD}&next=/");
    let signed = post_form_with(&state, "/login", &body, &cookie, &token).await;
    let session = signed.headers[header::SET_COOKIE]
        .to_str()
        .expect("text")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    let role = send(
        &state,
        with("/roles/odp:team-leader", "GET", &[("cookie", &session)], ""),
    )
    .await;
    let token = token_in(&role.body);
    assert_eq!(role.headers[header::CACHE_CONTROL], "private, no-store");
    let anonymous = get(&state, "/roles/odp:team-leader").await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert!(
        !anonymous.body.contains(&token),
        "the cached page holds no token"
    );
    assert!(!anonymous.body.contains("rolemap:csrf"));
}

fn assert_security_headers(reply: &Reply, what: &str) {
    let csp = reply.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("text");
    assert!(csp.contains("script-src 'self'"), "{what}: {csp}");
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{what}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}");
    assert_eq!(
        reply.headers[header::X_CONTENT_TYPE_OPTIONS],
        "nosniff",
        "{what}"
    );
    assert_eq!(
        reply.headers[header::REFERRER_POLICY],
        "same-origin",
        "{what}"
    );
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let state = state().await;
    for uri in [
        "/",
        "/roles/odp:team-leader",
        "/api/v1/roles/odp:team-leader",
        "/static/rolemap.js",
        "/no/such/page",
        "/api/v1/no-such",
    ] {
        assert_security_headers(&get(&state, uri).await, uri);
    }
    let refused = send(
        &state,
        with("/api/v1/people", "GET", &[("host", "evil.example")], ""),
    )
    .await;
    assert_security_headers(&refused, "a refusal");
}

#[tokio::test]
async fn no_page_holds_inline_script() {
    let state = state().await;
    for uri in [
        "/",
        "/roles/odp:team-leader",
        "/assess",
        "/login",
        "/people",
    ] {
        let page = get(&state, uri).await;
        for (i, _) in page.body.match_indices("<script") {
            let tag = &page.body[i..page.body[i..].find('>').map_or(page.body.len(), |e| i + e)];
            assert!(tag.contains("src=\"/static/"), "{uri}: inline script {tag}");
        }
        assert!(!page.body.contains(" onclick="), "{uri}");
        assert!(!page.body.contains("javascript:"), "{uri}");
    }
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_413_in_the_json_shape() {
    let state = state().await;
    let big = format!(
        "{{\"name\":\"{}\"}}",
        "x".repeat(rolemap_server::BODY_LIMIT + 10)
    );
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = big
        .into_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let body = Body::from_stream(futures_util::stream::iter(chunks));
    let request = Request::post("/api/v1/people")
        .header(header::CONTENT_TYPE, "application/json")
        .body(body)
        .expect("request");
    let reply = send(&state, request).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.body
    );
    assert_eq!(reply.json()["error"]["code"], "payload_too_large");
    // With a length the limit refuses it before reading; the shape is the same.
    let import = send(
        &state,
        with(
            "/api/v1/frameworks",
            "POST",
            &[("content-type", "text/plain")],
            &"#".repeat(rolemap_server::BODY_LIMIT + 1),
        ),
    )
    .await;
    assert_eq!(import.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(import.json()["error"]["code"], "payload_too_large");
}

#[tokio::test]
async fn a_wrong_method_or_media_type_is_answered_in_the_json_shape_and_pages_keep_html() {
    let state = state().await;
    let method = send(&state, with("/api/v1/roles", "DELETE", &[], "")).await;
    assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(method.json()["error"]["code"], "method_not_allowed");
    assert!(method.headers.contains_key(header::ALLOW));
    let media = send(
        &state,
        with(
            "/api/v1/people",
            "POST",
            &[("content-type", "text/plain")],
            PERSON,
        ),
    )
    .await;
    assert_eq!(media.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(media.json()["error"]["code"], "unsupported_media_type");
    let (cookie, token) = anonymous_form_token(&state).await;
    let page = post_form_with(&state, "/compare", "a=1", &cookie, &token).await;
    assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(page.content_type.starts_with("text/html"), "{page:?}");
}

/// Log lines written while a test runs.
#[derive(Clone, Default)]
pub(crate) struct Captured(pub(crate) std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The log of every test of this binary: one subscriber for the whole process, since a
/// subscriber set for one thread misses call sites other threads' requests reached first.
pub(crate) fn process_log() -> &'static Captured {
    static LOG: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        // Only this test sets one; should another, this test's lines would not be found.
        let _ = tracing::subscriber::set_global_default(subscriber);
        captured
    })
}

#[tokio::test]
async fn request_logs_name_the_route_never_the_path_or_query() {
    let log = process_log();
    let state = state().await;
    get(
        &state,
        "/api/v1/people/aisha-rahman/gap?target=odp%3Aoperations-manager",
    )
    .await;
    get(&state, "/people/aisha-rahman").await;
    get(&state, "/search?q=Aisha+Rahman").await;
    let text = String::from_utf8_lossy(&log.0.lock().expect("lock")).into_owned();
    // Request lines of every test running meanwhile are here too: none may name anyone.
    let requests: Vec<&str> = text.lines().filter(|l| l.contains(" request ")).collect();
    let joined = requests.join("\n");
    assert!(
        joined.contains("route=\"/api/v1/people/{id}/gap\""),
        "{text}"
    );
    assert!(joined.contains("route=\"/people/{id}\""), "{text}");
    assert!(joined.contains("route=\"/search\""), "{text}");
    assert!(!joined.to_lowercase().contains("aisha"), "{joined}");
    assert!(!joined.contains("operations-manager"), "{joined}");
}

/// A server on a loopback port with a short header-read timeout, and its address.
async fn served(
    timeout: std::time::Duration,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let options = rolemap_server::ServeOptions {
        header_read_timeout: timeout,
        ..rolemap_server::ServeOptions::default()
    };
    let state = state().await;
    tokio::spawn(rolemap_server::serve_with(
        listener,
        state,
        options,
        async {
            let _ = stopped.await;
        },
    ));
    (addr, stop)
}

/// Reads until the server closes the connection, or gives up after `patience`; whether it
/// closed, and what it sent.
async fn closed_within(
    stream: &mut tokio::net::TcpStream,
    patience: std::time::Duration,
) -> (bool, String) {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let read = tokio::time::timeout(patience, stream.read_to_end(&mut got)).await;
    (read.is_ok(), String::from_utf8_lossy(&got).into_owned())
}

#[tokio::test]
async fn a_half_sent_request_is_dropped_at_the_header_read_timeout() {
    use tokio::io::AsyncWriteExt;
    let timeout = std::time::Duration::from_millis(500);
    let (addr, _stop) = served(timeout).await;
    let started = std::time::Instant::now();
    let mut half = tokio::net::TcpStream::connect(addr).await.expect("connect");
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow:")
        .await
        .expect("write");
    let mut silent = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (closed, _) = closed_within(&mut half, std::time::Duration::from_secs(5)).await;
    assert!(closed, "a half-sent request kept its connection");
    let (closed, _) = closed_within(&mut silent, std::time::Duration::from_secs(5)).await;
    assert!(closed, "a connection that sent nothing was kept");
    assert!(started.elapsed() < std::time::Duration::from_secs(4));
    // A whole request on time is answered, with the peer's address known to handlers.
    let mut whole = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "GET /healthz HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
        addr.port()
    );
    whole.write_all(request.as_bytes()).await.expect("write");
    let (_, answer) = closed_within(&mut whole, std::time::Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn junk_query_strings_leave_the_page_cache_bounded() {
    let state = state().await;
    let started = std::time::Instant::now();
    for i in 0..5_000 {
        // The cheapest cached page, so that five thousand of them take seconds.
        let uri = if i % 2 == 0 {
            format!("/skills/odp:data-and-insight?junk{i}={}", "x".repeat(200))
        } else {
            format!("/skills/odp:data-and-insight?utm={i}")
        };
        let reply = get(&state, &uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
    }
    let (pages, bytes) = state.pages.size();
    assert!(pages <= 2, "{pages} pages kept");
    assert!(bytes < 1024 * 1024, "{bytes} bytes kept");
    eprintln!(
        "5,000 junk-query requests in {:?}: {pages} pages, {bytes} bytes kept",
        started.elapsed()
    );
}

#[tokio::test]
async fn overlong_names_and_control_characters_are_refused_422_naming_the_field() {
    let state = state().await;
    let before = people_count(&state).await;
    let long = format!("{{\"name\":\"{}\"}}", "x".repeat(10_000));
    for (body, field) in [
        (long.as_str(), "name"),
        (r#"{"name":"Nul\u0000Byte"}"#, "name"),
        (r#"{"name":"Ok","team":"\u202eevil"}"#, "team"),
    ] {
        let reply = crate::post_json(&state, "/api/v1/people", body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert_eq!(reply.json()["error"]["field"], field, "{}", reply.body);
    }
    assert_eq!(people_count(&state).await, before);
    let note =
        r#"{"assessments":[{"skill":"Adaptability to change","level":"P","note":"\u001b[31m"}]}"#;
    let reply = crate::post_json(&state, "/api/v1/people/aisha-rahman/assessments", note).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(reply.json()["error"]["field"], "note");
}

async fn post_keyed(state: &rolemap_server::AppState, uri: &str, key: &str, body: &str) -> Reply {
    send(
        state,
        with(
            uri,
            "POST",
            &[
                ("content-type", "application/json"),
                ("idempotency-key", key),
            ],
            body,
        ),
    )
    .await
}

async fn history_len(state: &rolemap_server::AppState) -> usize {
    get(state, "/api/v1/people/aisha-rahman").await.json()["history"]
        .as_array()
        .expect("history")
        .len()
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_adds_nothing_twice() {
    let state = state().await;
    let uri = "/api/v1/people/aisha-rahman/assessments";
    let body = r#"{"assessments":[{"skill":"Adaptability to change","level":"P"}]}"#;
    let before = history_len(&state).await;
    let first = post_keyed(&state, uri, "retry-1", body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = post_keyed(&state, uri, "retry-1", body).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body, first.body, "the first answer comes back");
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(history_len(&state).await, before + 1, "added once");
    let other = r#"{"assessments":[{"skill":"Adaptability to change","level":"E"}]}"#;
    let refused = post_keyed(&state, uri, "retry-1", other).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["field"], "Idempotency-Key");
    let fresh = post_keyed(&state, uri, "retry-2", body).await;
    assert_eq!(fresh.status, StatusCode::CREATED);
    assert_eq!(
        history_len(&state).await,
        before + 2,
        "a new key writes again"
    );

    let person = r#"{"name":"Nia Evans"}"#;
    let first = post_keyed(&state, "/api/v1/people", "person-1", person).await;
    let again = post_keyed(&state, "/api/v1/people", "person-1", person).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(again.body, first.body);
    let people = get(&state, "/api/v1/people").await.json();
    let nias = people
        .as_array()
        .expect("list")
        .iter()
        .filter(|p| p["name"] == "Nia Evans")
        .count();
    assert_eq!(nias, 1);
}

#[tokio::test]
async fn two_requests_sent_at_once_with_one_idempotency_key_write_once() {
    let state = state().await;
    let uri = "/api/v1/people/aisha-rahman/assessments";
    let body = r#"{"assessments":[{"skill":"Adaptability to change","level":"P"}]}"#;
    let before = history_len(&state).await;
    let (first, second) = tokio::join!(
        post_keyed(&state, uri, "at-once", body),
        post_keyed(&state, uri, "at-once", body)
    );
    let mut statuses = [first.status, second.status];
    statuses.sort();
    // Either the second waited behind the first and got its answer back, or it arrived while
    // the first was being answered and was told to send it again; never a second write.
    assert!(
        statuses == [StatusCode::CREATED, StatusCode::CREATED]
            || statuses == [StatusCode::CREATED, StatusCode::CONFLICT],
        "{statuses:?}: {} / {}",
        first.body,
        second.body
    );
    assert_eq!(history_len(&state).await, before + 1, "written once");
    let again = post_keyed(&state, uri, "at-once", body).await;
    assert_eq!(
        again.headers["idempotent-replayed"], "true",
        "the key is free again"
    );
    let long = post_keyed(&state, uri, &"k".repeat(201), body).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(long.json()["error"]["field"], "Idempotency-Key");
    assert_eq!(
        history_len(&state).await,
        before + 1,
        "nothing written for it"
    );
}
