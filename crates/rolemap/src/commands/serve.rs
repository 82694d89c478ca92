//! Setting rolemap up and running it: `rolemap init`, `rolemap demo` and `rolemap serve`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use rolemap_server::oidc::{Oidc, OidcConfig};
use rolemap_service::{Service, now};

use super::gap::{gap_grid, show_gap};
use crate::cli::OidcArgs;

/// The person the demo's gap report is about, and the role they are aiming for.
const DEMO_PERSON: &str = "aisha-rahman";
const DEMO_TARGET: &str = "odp:operations-manager";
const DEMO_GRADE: &str = "G7";

pub(super) async fn init(
    service: &Service,
    demo: bool,
    db: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let report = service
        .init(demo, &rolemap_store::Actor::cli(), &now())
        .await?;
    writeln!(out, "Database: {}", db.display())?;
    for o in &report.frameworks {
        if o.created {
            writeln!(
                out,
                "Installed {} {} ({} roles, {} skills).",
                o.key, o.version, o.roles, o.skills
            )?;
        } else {
            writeln!(out, "{} {} already installed.", o.key, o.version)?;
        }
    }
    match report.demo {
        Some(Some(p)) => writeln!(
            out,
            "Created the demo team: {} people, {} assessments (marked as demo data).",
            p.people, p.assessments
        )?,
        Some(None) => writeln!(out, "The demo team is already there.")?,
        None => {}
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)] // One per `serve` setting, as clap hands them over.
pub(super) async fn serve(
    service: &Service,
    addr: std::net::SocketAddr,
    demo: bool,
    public_url: Option<String>,
    retain_assessments: Option<String>,
    oidc: OidcArgs,
    db: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let public_url = public_url.as_deref();
    // A wrong age is found before anything is written.
    if let Some(age) = &retain_assessments {
        rolemap_service::retention_cutoff(age, time::OffsetDateTime::now_utc())
            .map_err(|e| anyhow::anyhow!("--retain-assessments: {e}"))?;
    }
    // A wrong public URL is found before anything is installed or bound.
    let mut state = rolemap_server::AppState::new(service.clone());
    if let Some(url) = public_url {
        state = state
            .with_public_url(url)
            .map_err(|e| anyhow::anyhow!("--public-url: {e}"))?;
    }
    // The identity provider first: a wrong issuer should stop the start before anything is
    // written.
    let oidc = identity_provider(oidc, public_url, out).await?;
    let report = service
        .init(demo, &rolemap_store::Actor::cli(), &now())
        .await?;
    let installed: Vec<String> = report
        .frameworks
        .iter()
        .filter(|o| o.created)
        .map(|o| o.key.clone())
        .collect();
    if !installed.is_empty() {
        writeln!(
            out,
            "Installed the built-in framework ({}).",
            installed.join(", ")
        )?;
    }
    if let Some(Some(p)) = report.demo {
        writeln!(
            out,
            "Created the demo team: {} people (demo data).",
            p.people
        )?;
    }
    accounts(service, demo, db, out).await?;
    let listener = rolemap_server::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr().unwrap_or(addr);
    writeln!(
        out,
        "rolemap is running at http://{local}/ (database {}). Press Ctrl+C to stop.",
        db.display()
    )?;
    if let Some(warning) = plain_http_warning(local, public_url) {
        writeln!(out, "{warning}")?;
    }
    out.flush()?;
    if let Some(oidc) = oidc {
        state = state.with_oidc(oidc);
    }
    if let Some(age) = retain_assessments {
        writeln!(
            out,
            "Assessments older than {age} are deleted now and once a day."
        )?;
        tokio::spawn(retain(service.clone(), age));
    }
    rolemap_server::serve(listener, state, shutdown_signal())
        .await
        .context("the server stopped with an error")?;
    writeln!(out, "Stopped.")?;
    Ok(())
}

/// The environment variable holding the OpenID Connect client secret.
const CLIENT_SECRET_VAR: &str = "ROLEMAP_OIDC_CLIENT_SECRET";

/// Discovers the configured identity provider, if any; an issuer that cannot be used stops the
/// start with an error naming it.
async fn identity_provider(
    args: OidcArgs,
    public_url: Option<&str>,
    out: &mut dyn Write,
) -> Result<Option<Oidc>> {
    let (Some(issuer), Some(client_id)) = (args.oidc_issuer, args.oidc_client_id) else {
        return Ok(None);
    };
    let Some(public_url) = public_url.filter(|url| !url.trim().is_empty()) else {
        bail!(
            "--oidc-issuer {issuer} needs --public-url (or ROLEMAP_PUBLIC_URL): the address \
             browsers reach rolemap at, to which the identity provider sends them back"
        );
    };
    let client_secret = std::env::var(CLIENT_SECRET_VAR)
        .ok()
        .filter(|secret| !secret.is_empty());
    let config = OidcConfig {
        issuer,
        client_id,
        client_secret,
        public_url: public_url.trim().to_owned(),
        name: args.oidc_name.filter(|name| !name.trim().is_empty()),
    };
    let secret_note = if config.client_secret.is_some() {
        format!("client secret from {CLIENT_SECRET_VAR}")
    } else {
        format!("no client secret in {CLIENT_SECRET_VAR}: a public client, PKCE only")
    };
    let redirect_uri = config.redirect_uri();
    let oidc = Oidc::discover(config)
        .await
        .context("cannot sign in through the identity provider")?;
    writeln!(
        out,
        "Sign-in with {} (OpenID Connect; {secret_note}); redirect URI {redirect_uri}",
        oidc.name()
    )?;
    Ok(Some(oidc))
}

/// What to say when the server listens beyond this machine in plain HTTP: passwords and session
/// cookies would cross the network readable. Behind a TLS proxy (a public URL in https) the
/// proxy encrypts, so nothing is said.
fn plain_http_warning(addr: std::net::SocketAddr, public_url: Option<&str>) -> Option<String> {
    let behind_tls = public_url.is_some_and(|u| u.to_ascii_lowercase().starts_with("https://"));
    (!addr.ip().is_loopback() && !behind_tls).then(|| {
        format!(
            "Warning: listening on {addr}, beyond this machine, without TLS: passwords and \
             session cookies cross the network readable. Put a TLS proxy in front and pass \
             --public-url https://... (README: \"Running behind a TLS proxy\")."
        )
    })
}

/// Makes the demo users with `--demo` and prints the sign-ins that work; with no users at all,
/// says how to make the first administrator.
async fn accounts(service: &Service, demo: bool, db: &Path, out: &mut dyn Write) -> Result<()> {
    if demo {
        service.add_demo_users().await?;
        let sign_ins = service.demo_sign_ins().await?;
        if !sign_ins.is_empty() {
            writeln!(
                out,
                "Demo sign-ins (demo data; password {}):",
                rolemap_service::DEMO_PASSWORD
            )?;
            for user in &sign_ins {
                writeln!(
                    out,
                    "  {:<8} {} ({})",
                    user.username,
                    user.display_name,
                    user.role.as_str().replace('_', " ")
                )?;
            }
        }
    }
    if service.users().await?.is_empty() {
        writeln!(
            out,
            "No users yet. Create the first administrator with:\n  rolemap --db {} user add NAME --role admin",
            db.display()
        )?;
    }
    Ok(())
}

/// Resolves on Ctrl+C or SIGTERM, so in-flight requests finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

pub(super) async fn demo(service: &Service, db: &Path, out: &mut dyn Write) -> Result<()> {
    init(service, true, db, out).await?;
    let person = service.person(DEMO_PERSON).await?;
    let report = service
        .gap(DEMO_PERSON, Some(DEMO_TARGET), Some(DEMO_GRADE))
        .await?;
    writeln!(
        out,
        "\nDemo: how ready is {} (demo data) to become an Operations Manager at {DEMO_GRADE}?",
        person.name
    )?;
    let grid = gap_grid(&report);
    show_gap(out, &person.name, &report, &grid)?;
    writeln!(
        out,
        "\nTry next:\n  rolemap --db {db} team matrix grace-okafor\n  rolemap --db {db} role show odp:team-leader\n  rolemap --db {db} compare odp:team-leader odp:operations-manager\n  rolemap --db {db} jd odp:operations-manager --grade G7",
        db = db.display()
    )?;
    Ok(())
}

/// Deletes the assessments older than `age` now and then once a day, for as long as the server
/// runs; each purge is audited (by the operator who set the age) with its count.
async fn retain(service: Service, age: String) {
    const DAY: std::time::Duration = std::time::Duration::from_secs(24 * 3600);
    loop {
        match service
            .purge_assessments(&age, &rolemap_store::Actor::cli())
            .await
        {
            Ok((before, purged)) => {
                tracing::info!(purged, before = %before, "retention: old assessments deleted");
            }
            Err(error) => tracing::error!(%error, "retention: the purge failed"),
        }
        tokio::time::sleep(DAY).await;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::plain_http_warning;

    #[test]
    fn plain_http_beyond_loopback_is_warned_about() {
        assert!(plain_http_warning("127.0.0.1:8080".parse().unwrap(), None).is_none());
        assert!(plain_http_warning("[::1]:8080".parse().unwrap(), None).is_none());
        let warning = plain_http_warning("0.0.0.0:8080".parse().unwrap(), None).unwrap();
        assert!(warning.contains("without TLS"), "{warning}");
        assert!(
            plain_http_warning(
                "0.0.0.0:8080".parse().unwrap(),
                Some("https://rolemap.example.org")
            )
            .is_none()
        );
        assert!(
            plain_http_warning(
                "192.0.2.1:8080".parse().unwrap(),
                Some("http://rolemap.example.org")
            )
            .is_some()
        );
    }
}
