//! The guide's reverse proxies, run for real where they can be: the nginx example (the
//! guide's own file, with only its paths and ports changed) in front of the uvicorn
//! stand-in for YOLO26 started as the guide starts it, called with curl and the guide's
//! backend client; and the Traefik example, whose files are parsed and checked for the
//! files they name (Traefik itself cannot be installed on the test machines).

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

use crate::docs::{blocks, read_doc};
use crate::util::{Background, aitls, free_port, stderr, stdout, tool, wait_for_port};

/// The body of the guide's block written to `name` (```` ```LANG file=NAME ````).
fn guide_file(name: &str) -> String {
    let wanted = format!("file={name}");
    blocks(&read_doc("docs/guide.md"))
        .into_iter()
        .find(|b| b.info.split_whitespace().any(|w| w == wanted))
        .unwrap_or_else(|| panic!("docs/guide.md has no block {wanted}"))
        .body
}

/// Writes the guide's `name` block into `dir`.
fn write_guide_file(dir: &Path, name: &str) {
    std::fs::write(dir.join(name), guide_file(name)).unwrap();
}

fn ok(dir: &Path, args: &[&str]) {
    let out = aitls(dir).args(args).output().unwrap();
    assert!(out.status.success(), "aitls {args:?}: {}", stderr(&out));
}

/// `text` with `from` replaced by `to`, which must be there.
fn substitute(text: &str, from: &str, to: &str) -> String {
    assert!(
        text.contains(from),
        "{from:?} is no longer in the guide's block"
    );
    text.replace(from, to)
}

/// The uvicorn stand-in, started as the guide starts it: the settings of `aitls env`
/// exported, then `python3 yolo26_demo.py`. `dir` is the aitls `-d`.
fn start_uvicorn(work: &Path, dir: &str, port: u16) -> Background {
    tool(
        "python3",
        "python3 and the venv of .ci/requirements.txt (uvicorn)",
    );
    let script = format!(
        r#"eval "$(aitls -d {dir} env --format shell --yolo-url https://localhost:{port})" && exec python3 yolo26_demo.py"#
    );
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_aitls")).parent().unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin_dir.to_owned())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let child = Command::new("bash")
        .args(["-c", &script])
        .current_dir(work)
        .env("PATH", path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("bash");
    let server = Background(child);
    assert!(
        wait_for_port(&format!("127.0.0.1:{port}"), 20),
        "uvicorn did not start on {port}"
    );
    server
}

#[test]
fn guide_nginx_terminates_tls_and_verifies_the_services_against_the_ca() {
    let nginx = tool("nginx", "nginx-light");
    let tmp = TempDir::new().unwrap();
    let work = tmp.path();
    for name in ["yolo26_demo.py", "backend_client.py"] {
        write_guide_file(work, name);
    }
    // The guide's proxy certificate (ECDSA here, for speed).
    ok(work, &["ca", "--key-type", "ecdsa-p256"]);
    ok(
        work,
        &[
            "server",
            "ai.example.internal",
            "localhost",
            "127.0.0.1",
            "::1",
            "--key-type",
            "ecdsa-p256",
        ],
    );
    // A service whose certificate comes from another CA: nginx must refuse it.
    ok(work, &["-d", "rogue", "ca", "--key-type", "ecdsa-p256"]);
    ok(work, &["-d", "rogue", "server", "--key-type", "ecdsa-p256"]);

    let (yolo, rogue, proxy) = (free_port(), free_port(), free_port());
    let _yolo = start_uvicorn(work, "ai/certs", yolo);
    let _rogue = start_uvicorn(work, "rogue", rogue);

    // The guide's file, with its directory and ports changed and nothing else.
    let conf = guide_file("ai-proxy.conf");
    let conf = substitute(&conf, "/srv/app", &work.display().to_string());
    let conf = substitute(
        &conf,
        "listen 443 ssl;",
        &format!("listen 127.0.0.1:{proxy} ssl;"),
    );
    let conf = substitute(&conf, "127.0.0.1:8095", &format!("127.0.0.1:{yolo}"));
    let conf = substitute(&conf, "127.0.0.1:8091", &format!("127.0.0.1:{rogue}"));
    std::fs::write(work.join("ai-proxy.conf"), conf).unwrap();
    let w = work.display();
    // Foreground, one process (so killing its PID stops it), everything in the temp dir.
    let main = format!(
        "daemon off;\nmaster_process off;\npid {w}/nginx.pid;\nerror_log {w}/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n  access_log {w}/access.log;\n  client_body_temp_path {w}/client_body;\n  \
         proxy_temp_path {w}/proxy;\n  fastcgi_temp_path {w}/fastcgi;\n  \
         uwsgi_temp_path {w}/uwsgi;\n  scgi_temp_path {w}/scgi;\n  include {w}/ai-proxy.conf;\n}}\n"
    );
    std::fs::write(work.join("nginx.conf"), main).unwrap();
    let check = Command::new(&nginx)
        .args(["-t", "-p"])
        .arg(work)
        .arg("-e")
        .arg(work.join("error.log"))
        .arg("-c")
        .arg(work.join("nginx.conf"))
        .output()
        .unwrap();
    assert!(check.status.success(), "nginx -t: {}", stderr(&check));
    let child = Command::new(&nginx)
        .arg("-p")
        .arg(work)
        .arg("-e")
        .arg(work.join("error.log"))
        .arg("-c")
        .arg(work.join("nginx.conf"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx");
    let _nginx = Background(child);
    assert!(
        wait_for_port(&format!("127.0.0.1:{proxy}"), 20),
        "nginx did not start: {}",
        std::fs::read_to_string(work.join("error.log")).unwrap_or_default()
    );

    // curl, as a client of the proxy's name, trusting only the aitls CA.
    let ca = work.join("ai/certs/ca.crt");
    let curl = |path: &str| {
        Command::new(tool("curl", "curl"))
            .args([
                "-sS",
                "--max-time",
                "10",
                "-w",
                "\n%{http_code}",
                "--cacert",
            ])
            .arg(&ca)
            .arg("--resolve")
            .arg(format!("ai.example.internal:{proxy}:127.0.0.1"))
            .arg(format!("https://ai.example.internal:{proxy}{path}"))
            .output()
            .unwrap()
    };
    let out = curl("/yolo26/health");
    assert!(out.status.success(), "curl: {}", stderr(&out));
    assert_eq!(stdout(&out), "{\"status\": \"healthy\"}\n\n200");

    // The guide's backend client, through the proxy.
    let out = Command::new("python3")
        .arg("backend_client.py")
        .arg(format!("https://localhost:{proxy}/yolo26/health"))
        .current_dir(work)
        .env("AI_CA_CERT_PATH", &ca)
        .output()
        .unwrap();
    assert!(out.status.success(), "backend_client.py: {}", stderr(&out));
    assert_eq!(stdout(&out), "200 {\"status\": \"healthy\"}\n");

    // A service serving a certificate of another CA is refused by nginx: 502, and the
    // error log says why. Without proxy_ssl_verify it would have been proxied.
    let out = curl("/nemotron/health");
    assert!(stdout(&out).ends_with("502"), "{}", stdout(&out));
    let log = std::fs::read_to_string(work.join("error.log")).unwrap();
    assert!(
        log.contains("upstream SSL certificate verify error"),
        "{log}"
    );
}

#[test]
fn guide_traefik_example_trusts_the_ca_and_names_the_right_files() {
    let python = tool(
        "python3",
        "python3 and the venv of .ci/requirements.txt (pyyaml)",
    );
    let tmp = TempDir::new().unwrap();
    let work = tmp.path();
    for name in ["docker-compose.override.yml", "traefik-dynamic.yml"] {
        write_guide_file(work, name);
    }
    ok(work, &["ca", "--key-type", "ecdsa-p256"]);
    ok(work, &["server", "--key-type", "ecdsa-p256"]);
    let out = Command::new(python)
        .args([
            "-c",
            "import json, yaml\n\
             print(json.dumps({f: yaml.safe_load(open(f)) for f in \
             ['docker-compose.override.yml', 'traefik-dynamic.yml']}))",
        ])
        .current_dir(work)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the YAML must parse: {}",
        stderr(&out)
    );
    let docs: Value = serde_json::from_slice(&out.stdout).unwrap();
    let compose = &docs["docker-compose.override.yml"]["services"]["traefik"];
    let dynamic = &docs["traefik-dynamic.yml"];

    // The container sees ai/certs as /certs and the dynamic file where the flag says.
    let volumes: Vec<&str> = compose["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(volumes.contains(&"./ai/certs:/certs:ro"), "{volumes:?}");
    assert!(
        volumes.contains(&"./traefik-dynamic.yml:/etc/traefik/dynamic.yml:ro"),
        "{volumes:?}"
    );
    assert!(
        compose["command"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "--providers.file.filename=/etc/traefik/dynamic.yml")
    );
    // Every /certs/ path is a file aitls wrote.
    let in_certs = |path: &Value| {
        let path = path.as_str().expect("a path");
        let name = path.strip_prefix("/certs/").expect("under /certs");
        assert!(work.join("ai/certs").join(name).is_file(), "{path}");
        name.to_owned()
    };
    let default = &dynamic["tls"]["stores"]["default"]["defaultCertificate"];
    assert_eq!(in_certs(&default["certFile"]), "server.crt");
    assert_eq!(in_certs(&default["keyFile"]), "server.key");

    // The services are reached over TLS, through a transport that trusts the aitls CA
    // and checks a name the services' certificate has.
    let transports = dynamic["http"]["serversTransports"].as_object().unwrap();
    let services = dynamic["http"]["services"].as_object().unwrap();
    assert_eq!(services.len(), 2);
    for (name, service) in services {
        let lb = &service["loadBalancer"];
        let transport = &transports[lb["serversTransport"].as_str().expect(name)];
        let roots: Vec<String> = transport["rootCAs"]
            .as_array()
            .unwrap()
            .iter()
            .map(in_certs)
            .collect();
        assert_eq!(roots, ["ca.crt"], "{name}");
        let server_name = transport["serverName"].as_str().unwrap();
        let verify = aitls(work)
            .args(["verify", "--host", server_name])
            .output()
            .unwrap();
        assert!(verify.status.success(), "{}", stdout(&verify));
        for server in lb["servers"].as_array().unwrap() {
            assert!(
                server["url"].as_str().unwrap().starts_with("https://"),
                "{name}: {server}"
            );
        }
    }
}
