//! The one renderer of [`aitls::fix::Fix`]: turns the library's fixes into what the user
//! types or does, with the certificate directory in force (`--dir`, `AITLS_DIR`).
//!
//! The library returns facts and fixes; this module alone words them. A fix is shown
//! three ways: as an action (verify's `fix:` line and its JSON `fix`), as a hint sentence
//! under an error, and appended to a warning of `ca` or `server`.

use std::path::{Path, PathBuf};

use aitls::fix::{Fix, Need, Reissue, Warning};
use aitls::key_type::KeyType;
use aitls::store::DEFAULT_STEM;
use aitls::truststore::Action as TrustAction;

use super::quote::shell_quote;

/// The certificate directory when neither `--dir` nor `AITLS_DIR` is given (`Cli::dir`'s
/// default).
const DEFAULT_DIR: &str = "ai/certs";

/// Where the certificate directory came from, so a command in a fix names the same one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirSource {
    /// Neither `--dir` nor `AITLS_DIR`: `ai/certs`, which commands need not repeat.
    Default,
    /// `-d`/`--dir DIR` on the command line.
    Flag(PathBuf),
    /// The `AITLS_DIR` environment variable.
    Env(PathBuf),
    /// The project file's `dir` (SPEC §5). A file found from the working directory
    /// upward needs no option: the same command finds it again from anywhere in the
    /// project. A file named by `--manifest` or `AITLS_MANIFEST` is named in commands.
    Project {
        /// The file, when it was named rather than found.
        named: Option<PathBuf>,
    },
}

/// Words fixes for one run of aitls.
#[derive(Debug, Clone)]
pub struct Words {
    dir: DirSource,
    /// The directory in force, once known (a project file's `dir` is read after the
    /// command line).
    dir_path: Option<PathBuf>,
    command_name: Option<String>,
}

impl Words {
    /// Words for a run whose directory came from `dir`.
    pub fn new(dir: DirSource) -> Self {
        Words {
            dir,
            dir_path: None,
            command_name: None,
        }
    }

    /// The same, knowing the directory in force.
    pub fn in_dir(mut self, dir: &Path) -> Self {
        self.dir_path = Some(dir.to_owned());
        self
    }

    /// The same, for a run of the subcommand `name` (`inspect` …), which a fix that
    /// repeats the command names.
    pub fn for_command(mut self, name: Option<&str>) -> Self {
        self.command_name = name.map(str::to_owned);
        self
    }

    /// `aitls ARGS`, naming the directory when it is not the default. A directory from
    /// `AITLS_DIR` is named too: the fix must work when pasted into another shell.
    pub fn aitls(&self, args: &str) -> String {
        match &self.dir {
            DirSource::Default | DirSource::Project { named: None } => format!("aitls {args}"),
            DirSource::Flag(dir) | DirSource::Env(dir) => {
                format!("aitls --dir {} {args}", shell_quote(&dir.to_string_lossy()))
            }
            DirSource::Project { named: Some(file) } => format!(
                "aitls --manifest {} {args}",
                shell_quote(&file.to_string_lossy())
            ),
        }
    }

    /// The directory in force, absolute (as given when it cannot be made so).
    fn abs_dir(&self) -> String {
        let dir = match (&self.dir_path, &self.dir) {
            (Some(dir), _) => dir.as_path(),
            (None, DirSource::Default | DirSource::Project { .. }) => Path::new(DEFAULT_DIR),
            (None, DirSource::Flag(dir) | DirSource::Env(dir)) => dir.as_path(),
        };
        std::path::absolute(dir)
            .unwrap_or_else(|_| dir.to_owned())
            .display()
            .to_string()
    }

    /// `server`, or `server --out STEM`.
    pub fn server(stem: &str) -> String {
        if stem == DEFAULT_STEM {
            "server".to_owned()
        } else {
            format!("server --out {}", shell_quote(stem))
        }
    }

    fn reissue(&self, r: &Reissue) -> String {
        // The same names again would make the same oversized certificate.
        let stem = r.stem.as_ref().filter(|_| r.need != Need::FewerNames);
        let Some(stem) = stem else {
            let need = match &r.need {
                Need::Renewal => String::new(),
                Need::SignedByCa => " by this CA".to_owned(),
                Need::ServerAuth => " with extendedKeyUsage serverAuth".to_owned(),
                Need::DigitalSignature => " with keyUsage digitalSignature".to_owned(),
                Need::SubjectAltName => " with its names in subjectAltName".to_owned(),
                Need::Name(name) => format!(" with {name} in its subjectAltName"),
                Need::FewerNames => " with fewer names, under 64 KiB".to_owned(),
            };
            return format!("reissue the certificate{need}");
        };
        let mut args = Self::server(stem);
        // rsa2048 is `aitls server`'s default; any other type must be asked for again.
        if let Some(kt) = r.key_type.filter(|kt| *kt != KeyType::Rsa2048) {
            args.push_str(&format!(" --key-type {kt}"));
        }
        if r.names.is_empty() {
            // Same names: only --force makes `aitls server` reissue a current certificate.
            args.push_str(" --force");
        } else {
            for name in &r.names {
                args.push(' ');
                args.push_str(&shell_quote(name));
            }
        }
        self.aitls(&args)
    }

    /// A command line, when the fix is one.
    fn command(&self, fix: &Fix) -> Option<String> {
        let is_command = match fix {
            Fix::Reissue(r) => r.stem.is_some() && r.need != Need::FewerNames,
            _ => matches!(
                fix,
                Fix::CreateCa
                    | Fix::CreateCaAndServer { .. }
                    | Fix::IssueServer { .. }
                    | Fix::ReplaceLoneKey { .. }
                    | Fix::ReplaceCa
                    | Fix::RenewCa
                    | Fix::RenewCaDays { .. }
                    | Fix::RenewCaAndServer { .. }
                    | Fix::ReissueDays { .. }
                    | Fix::ReplaceUnfitCa
                    | Fix::DecryptKey { .. }
                    | Fix::Chmod { .. }
                    | Fix::TrustAsRoot { .. }
                    | Fix::ChmodDir { .. }
                    | Fix::Chown { .. }
                    | Fix::RestartService {
                        on_change: Some(_),
                        ..
                    }
                    | Fix::UseNames { .. }
                    | Fix::ProbeService { .. }
                    | Fix::UseDir { .. }
                    | Fix::UseFoundDir { .. }
                    | Fix::VerifyCert { .. }
                    | Fix::InitProject
                    | Fix::SignWithNames { .. }
                    | Fix::RenewCaPathlen { .. }
                    | Fix::RenewCaPermit { .. }
            ),
        };
        is_command.then(|| self.action(fix))
    }

    /// The fix as something to do: a command line, or a short imperative phrase.
    pub fn action(&self, fix: &Fix) -> String {
        match fix {
            Fix::CreateCa => self.aitls("ca"),
            Fix::CreateCaAndServer { stem } => {
                format!("{} && {}", self.aitls("ca"), self.aitls(&Self::server(stem)))
            }
            Fix::IssueServer { stem } => self.aitls(&Self::server(stem)),
            Fix::ReplaceLoneKey { stem, key_type } => {
                let mut args = format!("{} --force", Self::server(stem));
                // rsa2048 is `aitls server`'s default; any other type must be asked for again.
                if let Some(kt) = key_type.filter(|kt| *kt != KeyType::Rsa2048) {
                    args.push_str(&format!(" --key-type {kt}"));
                }
                self.aitls(&args)
            }
            Fix::ReplaceCa | Fix::ReplaceUnfitCa => self.aitls("ca --force"),
            Fix::RenewCa => self.aitls("ca --renew"),
            Fix::RenewCaDays { days } => self.aitls(&format!("ca --renew --days {days}")),
            Fix::RenewCaAndServer { stem } => format!(
                "{} && {}",
                self.aitls("ca --renew"),
                self.aitls(&Self::server(stem))
            ),
            Fix::ReissueDays { stem, days } => {
                self.aitls(&format!("{} --force --days {days}", Self::server(stem)))
            }
            Fix::RestoreCaPair => format!(
                "restore the ca.key that belongs to ca.crt (or the ca.crt of this key) from a backup; only if it is lost, run `{}`: a new CA, which every client must then be given",
                self.aitls("ca --force")
            ),
            Fix::DecryptKey {
                path,
                in_place: true,
            } => {
                let p = path_word(path);
                let plain = path_word(&plain_copy(path));
                format!("(umask 077 && openssl pkey -in {p} -out {plain}) && mv {plain} {p}")
            }
            Fix::DecryptKey {
                path,
                in_place: false,
            } => format!(
                "(umask 077 && openssl pkey -in {} -out {})",
                path_word(path),
                path_word(&plain_copy(path))
            ),
            Fix::RewriteKeyPkcs8V1 => {
                "rewrite the key as PKCS#8 v1 (RFC 5208), or reissue the certificate with a new key"
                    .to_owned()
            }
            Fix::DistributeCa { path } => format!(
                "replace every copy of {} elsewhere (trust stores, other hosts, containers) with the new file",
                path_word(path)
            ),
            Fix::Restore { file: Some(file) } => format!("restore {file}"),
            Fix::Restore { file: None } => "restore the missing or matching file".to_owned(),
            Fix::Reissue(r) => self.reissue(r),
            Fix::Chmod { path } => format!("chmod 600 {}", path_word(path)),
            Fix::ChmodDir { path, others } => {
                let who = if *others { "go" } else { "g" };
                format!("chmod {who}-w {}", path_word(path))
            }
            // Only root can give a file away; anyone else needs sudo for it.
            Fix::Chown { path, uid } => format!(
                "{}chown {uid} {}",
                if *uid == 0 { "" } else { "sudo " },
                path_word(path)
            ),
            Fix::UseCa { path } => format!("use --ca {}", path_word(path)),
            Fix::GiveCa => "give --ca FILE".to_owned(),
            Fix::GiveDir => "give --dir DIR or FILE".to_owned(),
            Fix::UseFitCa => "use a CA that is fit to sign".to_owned(),
            Fix::UseIssuedKey => "use the key the certificate was issued for".to_owned(),
            Fix::CheckClock => "check the clock of the machine that issued it, or wait".to_owned(),
            Fix::NameSyntax => {
                "names are DNS names (api.example.com, *.example.com) or IP addresses (127.0.0.1, ::1)"
                    .to_owned()
            }
            Fix::PermittedNamesOnly => "issue it only for names the CA permits".to_owned(),
            Fix::TrustAsRoot { store, action } => {
                let flag = match action {
                    TrustAction::Install => "",
                    TrustAction::Remove => " --remove",
                    TrustAction::Check => " --check",
                };
                format!("sudo {}", self.aitls(&format!("trust{flag} --store {store}")))
            }
            Fix::InstallPackage { package } => format!("install {package}"),
            Fix::CreateNssDb => "start Chromium or Firefox once, or create one: mkdir -p ~/.pki/nssdb && certutil -d sql:$HOME/.pki/nssdb -N --empty-password".to_owned(),
            Fix::SetJavaHome => "point JAVA_HOME at a JDK or JRE".to_owned(),
            Fix::StartService => "start the service, or probe the port it listens on".to_owned(),
            Fix::ServeTls => format!(
                "start it with the certificate and key: `eval \"$({})\"` sets \
                 YOLO26_SSL_CERTFILE/YOLO26_SSL_KEYFILE (uvicorn ssl_certfile/ssl_keyfile) and \
                 LLAMA_ARG_SSL_CERT_FILE/LLAMA_ARG_SSL_KEY_FILE (llama-server)",
                self.aitls("env --format shell")
            ),
            Fix::RestartService {
                on_change: Some(command),
                ..
            } => command.clone(),
            Fix::RestartService {
                cert,
                on_change: None,
            } => format!(
                "restart the service so it reads {} again",
                path_word(cert)
            ),
            Fix::ServeCertificate { cert } => format!(
                "point the service at {} and its key (`{}` prints the settings), or give --ca \
                 the CA that issued what it serves",
                path_word(cert),
                self.aitls("env")
            ),
            Fix::GiveClientCert => format!(
                "give a client certificate the service trusts: --client STEM for DIR/STEM.crt \
                 (`{}` makes one), or --cert FILE --key FILE",
                self.aitls("server --out backend --client backend")
            ),
            Fix::AllowTls13 => "allow TLS 1.3 in the service's TLS settings (OpenSSL 1.1.1 and \
                                later offer it unless a maximum protocol version forbids it)"
                .to_owned(),
            Fix::UseNames { names } => {
                let words: Vec<String> = names.iter().map(|n| shell_quote(n)).collect();
                self.aitls(&format!("server {}", words.join(" ")))
            }
            Fix::ProbeService { target } => {
                self.aitls(&format!("probe {}", shell_quote(target)))
            }
            Fix::UseHost { host } => format!("use --host {}", shell_quote(host)),
            Fix::MoveAside { path } => format!(
                "move the directory {} out of the way (aitls keeps a file under that name)",
                path_word(path)
            ),
            Fix::UseStem { stem } => format!("use --out {}", shell_quote(stem)),
            // The directory replaces the one in force, so no --dir from `aitls()`.
            Fix::UseDir { dir } => format!(
                "aitls -d {} {}",
                path_word(dir),
                self.command_name.as_deref().unwrap_or("inspect")
            ),
            Fix::UseFoundDir { dir, .. } => format!(
                "aitls -d {} {}",
                path_word(dir),
                self.command_name.as_deref().unwrap_or("inspect")
            ),
            Fix::VerifyCert { path } => self.aitls(&format!("verify {}", path_word(path))),
            Fix::ReorderBundle { index } => format!("put certificate {index} first"),
            // No --dir: the file written in the working directory is found from there.
            Fix::InitProject => "aitls init".to_owned(),
            Fix::SignWithNames { csr } => {
                self.aitls(&format!("sign {} NAME...", path_word(csr)))
            }
            Fix::RenewCaPathlen { pathlen } => self.aitls(&format!("ca --renew --pathlen {pathlen}")),
            Fix::RenewCaPermit { permit } => {
                let permits: Vec<String> = permit
                    .iter()
                    .map(|p| format!("--permit {}", shell_quote(p)))
                    .collect();
                self.aitls(&format!("ca --renew {}", permits.join(" ")))
            }
            Fix::OtherStem => "choose another stem with --out STEM".to_owned(),
            Fix::ExportWithoutKey => {
                "export it where its key lives, or use --format fullchain".to_owned()
            }
        }
    }

    /// One fix as a clause of a hint: `run \`COMMAND\` to …`, or the action.
    fn clause(&self, fix: &Fix) -> String {
        let Some(command) = self.command(fix) else {
            return self.action(fix);
        };
        let purpose = match fix {
            Fix::InitProject => " to write one",
            // Where they would be made, absolute: run from the wrong directory, that is
            // what tells the user this is not the project's.
            Fix::CreateCa => return format!("run `{command}` to create it in {}", self.abs_dir()),
            Fix::CreateCaAndServer { .. } => {
                return format!("run `{command}` to create them in {}", self.abs_dir());
            }
            Fix::IssueServer { .. } => " to issue the server certificate",
            Fix::ReplaceLoneKey { .. } => " to issue a new pair, which replaces the key",
            Fix::ReplaceCa => {
                " to create a new CA (every server certificate must then be reissued)"
            }
            Fix::RenewCa => " to renew it for the same key",
            Fix::ReplaceUnfitCa => {
                " to make a new CA in its place (a new key: every client that trusts the old ca.crt must be given the new one, and every server certificate reissued)"
            }
            Fix::DecryptKey { in_place: true, .. } => {
                " to decrypt it in place (aitls signs unattended)"
            }
            Fix::DecryptKey {
                in_place: false, ..
            } => {
                " to write an unencrypted copy for the servers, or give uvicorn ssl_keyfile_password"
            }
            Fix::ChmodDir { .. } => " to make it writable by its owner only",
            // An existing certificate loses every name not given (localhost's 127.0.0.1
            // and ::1 among them).
            Fix::UseNames { .. } => {
                " (the names given replace the certificate's names: give every name it must keep)"
            }
            Fix::ProbeService { .. } => " to check the service running on that port",
            Fix::UseFoundDir { .. } => "",
            Fix::Chown { .. } => " if you trust the file, or remove it",
            Fix::SignWithNames { .. } => " with the names to certify",
            Fix::RenewCaPathlen { .. } => " to let the CA sign intermediates, keeping its key",
            Fix::RenewCaPermit { .. } => " to constrain it, keeping its key",
            _ => "",
        };
        if let Fix::UseFoundDir { dir, looked_in } = fix {
            return format!(
                "the CA is in {} (none in {}): run `{command}`, not `aitls ca`, which would make a second CA",
                dir.display(),
                looked_in.display()
            );
        }
        let verb = match fix {
            Fix::UseNames { .. } => "use",
            _ => "run",
        };
        format!("{verb} `{command}`{purpose}")
    }

    /// The hint under an error: its fixes as alternatives, or `None` when there are none.
    pub fn hint(&self, fixes: &[Fix]) -> Option<String> {
        let clauses: Vec<String> = fixes.iter().map(|f| self.clause(f)).collect();
        (!clauses.is_empty()).then(|| clauses.join(", or "))
    }

    /// A warning with its fix: `MESSAGE; run \`COMMAND\``.
    pub fn warning(&self, warning: &Warning) -> String {
        match &warning.fix {
            None => warning.message.clone(),
            Some(fix) => match self.command(fix) {
                Some(command) => format!("{}; run `{command}`", warning.message),
                None => format!("{}; {}", warning.message, self.clause(fix)),
            },
        }
    }
}

/// `NAME.plain.key` beside `NAME.key` (or `FILE.plain`): where an unencrypted copy goes.
fn plain_copy(path: &Path) -> PathBuf {
    match path.to_str().and_then(|p| p.strip_suffix(".key")) {
        Some(stem) => PathBuf::from(format!("{stem}.plain.key")),
        None => PathBuf::from(format!("{}.plain", path.display())),
    }
}

fn path_word(path: &Path) -> String {
    shell_quote(&path.to_string_lossy())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reissue(stem: Option<&str>, names: &[&str], need: Need) -> Fix {
        Fix::Reissue(Reissue {
            stem: stem.map(str::to_owned),
            key_type: Some(KeyType::EcdsaP256),
            names: names.iter().map(|n| (*n).to_owned()).collect(),
            need,
        })
    }

    #[test]
    fn commands_name_the_directory_given_by_flag_or_environment() {
        let default = Words::new(DirSource::Default);
        let flag = Words::new(DirSource::Flag("my certs".into()));
        let env = Words::new(DirSource::Env("/srv/certs".into()));
        assert_eq!(default.action(&Fix::CreateCa), "aitls ca");
        assert_eq!(flag.action(&Fix::CreateCa), "aitls --dir 'my certs' ca");
        assert_eq!(env.action(&Fix::CreateCa), "aitls --dir /srv/certs ca");
        assert_eq!(
            env.action(&Fix::RenewCa),
            "aitls --dir /srv/certs ca --renew"
        );
        assert_eq!(
            flag.action(&Fix::RenewCaAndServer { stem: "api".into() }),
            "aitls --dir 'my certs' ca --renew && aitls --dir 'my certs' server --out api"
        );
        assert_eq!(
            default.action(&Fix::ReissueDays {
                stem: "server".into(),
                days: 90
            }),
            "aitls server --force --days 90"
        );
    }

    #[test]
    fn commands_under_a_project_file_need_no_directory() {
        let found = Words::new(DirSource::Project { named: None });
        let named = Words::new(DirSource::Project {
            named: Some("/srv/app/aitls.toml".into()),
        });
        assert_eq!(found.action(&Fix::CreateCa), "aitls ca");
        assert_eq!(
            named.action(&Fix::IssueServer { stem: "api".into() }),
            "aitls --manifest /srv/app/aitls.toml server --out api"
        );
    }

    #[test]
    fn a_managed_certificate_is_reissued_with_aitls_server() {
        let words = Words::new(DirSource::Default);
        assert_eq!(
            words.action(&reissue(Some("server"), &[], Need::Renewal)),
            "aitls server --key-type ecdsa-p256 --force"
        );
        assert_eq!(
            words.action(&reissue(
                Some("api"),
                &["localhost", "*.x"],
                Need::Name("x".into())
            )),
            "aitls server --out api --key-type ecdsa-p256 localhost '*.x'"
        );
        assert_eq!(
            words.action(&reissue(None, &[], Need::Name("api.internal".into()))),
            "reissue the certificate with api.internal in its subjectAltName"
        );
    }

    #[test]
    fn hints_are_sentences_with_alternatives() {
        let words = Words::new(DirSource::Flag("d".into()));
        assert_eq!(
            words
                .hint(&[
                    Fix::Restore {
                        file: Some("ca.key".into())
                    },
                    Fix::ReplaceCa
                ])
                .unwrap(),
            "restore ca.key, or run `aitls --dir d ca --force` to create a new CA \
             (every server certificate must then be reissued)"
        );
        assert_eq!(
            words
                .hint(&[Fix::CreateCaAndServer { stem: "web".into() }])
                .unwrap(),
            format!(
                "run `aitls --dir d ca && aitls --dir d server --out web` to create them in {}",
                std::path::absolute("d").unwrap().display()
            )
        );
        assert_eq!(words.hint(&[]), None);
    }

    #[test]
    fn warnings_end_with_the_command_that_fixes_them() {
        let words = Words::new(DirSource::Default);
        let warning = Warning::with_fix(
            "ai/certs/ca.key is readable by others (mode 0644)",
            Fix::Chmod {
                path: "ai/certs/ca.key".into(),
            },
        );
        assert_eq!(
            words.warning(&warning),
            "ai/certs/ca.key is readable by others (mode 0644); run `chmod 600 ai/certs/ca.key`"
        );
        assert_eq!(words.warning(&"plain".into()), "plain");
    }

    #[test]
    fn key_and_ca_pair_fixes_say_what_they_cost() {
        let words = Words::new(DirSource::Flag("d".into()));
        let unfit = words.hint(&[Fix::CheckClock, Fix::ReplaceUnfitCa]).unwrap();
        assert!(unfit.contains("`aitls --dir d ca --force`"), "{unfit}");
        assert!(unfit.contains("trusts the old ca.crt"), "{unfit}");
        assert!(unfit.starts_with("check the clock"), "{unfit}");
        let pair = words.action(&Fix::RestoreCaPair);
        assert!(pair.starts_with("restore the ca.key"), "{pair}");
        assert!(pair.contains("aitls --dir d ca --force"), "{pair}");
        assert_eq!(
            words.action(&Fix::DecryptKey {
                path: "d/ca.key".into(),
                in_place: true
            }),
            "(umask 077 && openssl pkey -in d/ca.key -out d/ca.plain.key) && mv d/ca.plain.key d/ca.key"
        );
        let copy = words.hint(&[Fix::DecryptKey {
            path: "d/server.key".into(),
            in_place: false,
        }]);
        assert_eq!(
            copy.as_deref(),
            Some(
                "run `(umask 077 && openssl pkey -in d/server.key -out d/server.plain.key)` to write an unencrypted copy for the servers, or give uvicorn ssl_keyfile_password"
            )
        );
    }
}
