//! `rolemap user ...`: adding, listing and disabling users, resetting passwords, and making and
//! revoking API tokens. Passwords come from standard input (`--password-stdin`) or are asked for
//! on the terminal without echo, never from the command line, where other users could see them.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, Result, bail};
use rolemap_service::dto::{ApiTokenDto, UserDto};
use rolemap_service::{Service, UserInput};
use rolemap_store::{User, UserRole};

use super::emit;
use crate::cli::{Output, TokenCommand, UserCommand};
use crate::render::{Grid, write_json};

pub(super) async fn run(
    service: &Service,
    command: UserCommand,
    out: &mut dyn Write,
) -> Result<()> {
    match command {
        UserCommand::Add {
            username,
            role,
            person,
            email,
            name,
            password_stdin,
        } => {
            let role = UserRole::parse(&role).with_context(|| {
                format!(
                    "role: '{role}' is not one of {}",
                    UserRole::ALL.map(UserRole::as_str).join(", ")
                )
            })?;
            let password = password(password_stdin, true)?;
            let user = service
                .add_user(
                    &UserInput {
                        username,
                        display_name: name,
                        email,
                        role,
                        person,
                        password,
                        demo: false,
                    },
                    &rolemap_store::Actor::cli(),
                )
                .await?;
            writeln!(
                out,
                "Added user {} ({}){}.",
                user.username,
                user.role.as_str(),
                linked(service, &user).await?
            )?;
            Ok(())
        }
        UserCommand::List(output) => list(service, output, out).await,
        UserCommand::Disable { username, enable } => {
            let user = service
                .set_user_disabled(&username, !enable, &rolemap_store::Actor::cli())
                .await?;
            if user.disabled {
                writeln!(
                    out,
                    "Disabled {}; their sessions have ended.",
                    user.username
                )?;
            } else {
                writeln!(out, "Enabled {}.", user.username)?;
            }
            Ok(())
        }
        UserCommand::Role { username, role } => {
            let role = UserRole::parse(&role).with_context(|| {
                format!(
                    "role: '{role}' is not one of {}",
                    UserRole::ALL.map(UserRole::as_str).join(", ")
                )
            })?;
            let user = service
                .set_user_role(&username, role, &rolemap_store::Actor::cli())
                .await?;
            writeln!(out, "{} is now {}.", user.username, user.role.as_str())?;
            Ok(())
        }
        UserCommand::ResetPassword {
            username,
            password_stdin,
        } => {
            // Check the user exists before asking for a password.
            let user = service.user_named(&username).await?;
            let password = password(password_stdin, true)?;
            service
                .reset_password(&user.username, &password, &rolemap_store::Actor::cli())
                .await?;
            writeln!(
                out,
                "Set a new password for {}; their sessions have ended.",
                user.username
            )?;
            Ok(())
        }
        UserCommand::Token(TokenCommand::Create {
            username,
            name,
            output,
        }) => {
            let made = service
                .create_api_token(&username, &name, &rolemap_store::Actor::cli())
                .await?;
            match output.format {
                crate::cli::Format::Json => {
                    let mut dto = ApiTokenDto::from(&made.record);
                    dto.token = Some(made.token);
                    write_json(out, &dto)
                }
                _ => {
                    writeln!(
                        out,
                        "API token {} ({}) for {}; it is shown this once:\n{}",
                        made.record.id, made.record.name, username, made.token
                    )?;
                    Ok(())
                }
            }
        }
        UserCommand::Token(TokenCommand::Revoke { username, id }) => {
            let token = service
                .revoke_api_token(&username, id, &rolemap_store::Actor::cli())
                .await?;
            writeln!(out, "Revoked API token {} ({}).", token.id, token.name)?;
            Ok(())
        }
        UserCommand::Token(TokenCommand::List { username, output }) => {
            let tokens = service.api_tokens(&username).await?;
            let grid = Grid {
                headers: ["id", "name", "created", "revoked"]
                    .map(str::to_owned)
                    .to_vec(),
                rows: tokens
                    .iter()
                    .map(|t| {
                        vec![
                            t.id.to_string(),
                            t.name.clone(),
                            t.created_at.clone(),
                            t.revoked_at.clone().unwrap_or_default(),
                        ]
                    })
                    .collect(),
            };
            let dtos: Vec<ApiTokenDto> = tokens.iter().map(ApiTokenDto::from).collect();
            emit(out, output.format, &dtos, &grid, |out| {
                writeln!(out, "{}", grid.to_text())?;
                Ok(())
            })
        }
    }
}

async fn linked(service: &Service, user: &User) -> Result<String> {
    Ok(match user.person {
        Some(id) => {
            let person = service.person(&id.0.to_string()).await?;
            format!(", linked to {} ({})", person.name, person.key)
        }
        None => String::new(),
    })
}

async fn list(service: &Service, output: Output, out: &mut dyn Write) -> Result<()> {
    let users = service.users().await?;
    let mut rows = Vec::with_capacity(users.len());
    for user in &users {
        let person = match user.person {
            Some(id) => service.person(&id.0.to_string()).await?.key,
            None => String::new(),
        };
        let mut state = Vec::new();
        if user.disabled {
            state.push("disabled");
        }
        if user.demo {
            state.push("demo");
        }
        rows.push(vec![
            user.username.clone(),
            user.display_name.clone(),
            user.role.as_str().to_owned(),
            person,
            user.email.clone(),
            state.join(", "),
        ]);
    }
    let grid = Grid {
        headers: ["username", "name", "role", "person", "email", "state"]
            .map(str::to_owned)
            .to_vec(),
        rows,
    };
    let dtos: Vec<UserDto> = users.iter().map(UserDto::from).collect();
    emit(out, output.format, &dtos, &grid, |out| {
        if users.is_empty() {
            writeln!(
                out,
                "No users yet. Add the first administrator with: rolemap user add NAME --role admin"
            )?;
        } else {
            writeln!(out, "{}", grid.to_text())?;
        }
        Ok(())
    })
}

/// The new password: the first line of standard input with `--password-stdin`, else asked for
/// twice on the terminal.
fn password(from_stdin: bool, confirm: bool) -> Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let password = line.trim_end_matches(['\n', '\r']).to_owned();
        rolemap_service::check_password(&password)?;
        return Ok(password);
    }
    if !std::io::stdin().is_terminal() {
        bail!("no terminal to ask for the password on; give it with --password-stdin");
    }
    let password = rpassword::prompt_password("Password: ").context("cannot read the password")?;
    rolemap_service::check_password(&password)?;
    if confirm {
        let again =
            rpassword::prompt_password("Password again: ").context("cannot read the password")?;
        if again != password {
            bail!("the two passwords differ; nothing was changed");
        }
    }
    Ok(password)
}
