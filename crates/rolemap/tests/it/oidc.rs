//! `rolemap serve` with an OpenID Connect identity provider: discovered at start-up (a failure
//! names the issuer and starts nothing), the redirect URI printed, the secret taken from the
//! environment only. The provider here is a few lines on 127.0.0.1 that serve its discovery
//! document and an empty key set; the sign-in itself is tested in the server's tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};

use crate::{Db, fail};

/// Serves the discovery document and key set of an issuer at a free loopback port, on a thread
/// of its own that ends after `requests` requests; returns the issuer URL.
fn discovery_only_provider(requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let issuer = format!("http://{}", listener.local_addr().expect("address"));
    let documents = issuer.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head);
            let body = if head.starts_with("GET /.well-known/openid-configuration ") {
                serde_json::json!({
                    "issuer": documents,
                    "authorization_endpoint": format!("{documents}/authorize"),
                    "token_endpoint": format!("{documents}/token"),
                    "jwks_uri": format!("{documents}/jwks"),
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                })
                .to_string()
            } else {
                r#"{"keys":[]}"#.to_owned()
            };
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    issuer
}

/// Starts `rolemap serve` on a free port with `args` and the client secret in the environment;
/// returns what it printed up to "is running".
fn serve_banner(db: &Db, args: &[&str], secret: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolemap"))
        .arg("--db")
        .arg(&db.path)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .env_remove("ROLEMAP_DB")
        .env_remove("ROLEMAP_ADDR")
        .env("ROLEMAP_OIDC_CLIENT_SECRET", secret)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start rolemap serve");
    let mut banner = String::new();
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    for line in lines.by_ref() {
        let line = line.expect("line");
        banner.push_str(&line);
        banner.push('\n');
        if line.contains("is running") {
            break;
        }
    }
    child.kill().expect("stop the server");
    child.wait().expect("wait");
    banner
}

#[test]
fn serve_discovers_the_provider_and_prints_the_redirect_uri_but_not_the_secret() {
    let db = Db::empty();
    let issuer = discovery_only_provider(2);
    let secret = "a-secret-that-must-not-be-printed";
    let banner = serve_banner(
        &db,
        &[
            "--oidc-issuer",
            &issuer,
            "--oidc-client-id",
            "rolemap",
            "--oidc-name",
            "Example SSO",
            "--public-url",
            "https://rolemap.example.org/",
        ],
        secret,
    );
    assert!(
        banner.contains("Sign-in with Example SSO (OpenID Connect; client secret from ROLEMAP_OIDC_CLIENT_SECRET); redirect URI https://rolemap.example.org/login/oidc/callback"),
        "{banner}"
    );
    assert!(banner.contains("is running"), "{banner}");
    assert!(!banner.contains(secret), "{banner}");
}

#[test]
fn serve_stops_with_an_error_naming_an_issuer_it_cannot_discover() {
    let db = Db::empty();
    // A port that was free a moment ago: nothing answers there.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let issuer = format!("http://{}", listener.local_addr().expect("address"));
    drop(listener);
    let error = fail(
        &db.path,
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--oidc-issuer",
            &issuer,
            "--oidc-client-id",
            "rolemap",
            "--public-url",
            "http://localhost:8080",
        ],
    );
    assert!(
        error.contains("cannot sign in through the identity provider")
            && error.contains(&format!("OpenID Connect issuer {issuer}: discovery failed")),
        "{error}"
    );
}

#[test]
fn an_issuer_needs_a_client_id_and_a_public_url_and_the_secret_is_no_option() {
    let db = Db::empty();
    let no_url = fail(
        &db.path,
        &[
            "serve",
            "--oidc-issuer",
            "https://login.example.org",
            "--oidc-client-id",
            "rolemap",
        ],
    );
    assert!(no_url.contains("needs --public-url"), "{no_url}");
    let no_id = fail(
        &db.path,
        &["serve", "--oidc-issuer", "https://login.example.org"],
    );
    assert!(no_id.contains("--oidc-client-id"), "{no_id}");
    let secret = fail(&db.path, &["serve", "--oidc-client-secret", "s"]);
    assert!(secret.contains("unexpected argument"), "{secret}");
}
