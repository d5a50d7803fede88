
use builtin;
use str;

set edit:completion:arg-completer[aitls] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'aitls'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'aitls'= {
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand ca 'Create the private CA, or keep the one in DIR (renewing it when due)'
            cand server 'Issue a server certificate signed by the CA in DIR, or keep a current one'
            cand sign 'Sign a certificate signing request with the CA in DIR (the key stays with its owner)'
            cand verify 'Check a certificate as a TLS client would'
            cand inspect 'Show certificates, bundles, CSRs and keys'
            cand env 'Print the AI services'' TLS settings for the files in DIR'
            cand sync 'Create or renew the CA and every certificate that aitls.toml declares'
            cand init 'Write an aitls.toml for the AI services'' stack (YOLO26, Nemotron, backend client)'
            cand export 'Export a certificate with its key and CA for other platforms (PKCS#12, Kubernetes ...)'
            cand probe 'Check that the running services serve the right certificate, correctly'
            cand fixtures 'Make certificates that are wrong on purpose, to test how TLS clients fail'
            cand trust 'Install the CA in this machine''s trust stores (system, NSS, Java), or remove or check it'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aitls;ca'= {
            cand --cn 'Subject common name of a new CA [default: AI Services CA]'
            cand --days 'Validity in days, of a new or renewed CA (1..=3650) [default: 365]'
            cand --key-type 'Key algorithm of a new CA [default: rsa4096]'
            cand --renew-within 'Renew the CA certificate when it expires within DAYS'
            cand --pathlen 'A new or renewed CA may sign N levels of intermediates (aitls sign --intermediate) [default: 0]'
            cand --permit 'Permit only these names (repeatable): example.com (it and every name under it), .example.com (only names under it), 10.0.0.0/8, ::1/128, or `local` for localhost, .localhost, .test, .internal, .home.arpa, 127.0.0.0/8 and ::1/128. Without an IP range, no IP address is permitted'
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand --force 'Replace an existing CA with a new key (every client must then trust the new ca.crt)'
            cand --renew 'Renew the CA certificate now, for the same key and subject'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aitls;server'= {
            cand --cn 'Subject common name, one of the names (default: the existing certificate''s, else the first DNS name, else the first IP address)'
            cand --days 'Validity in days (1..=825; Apple platforms reject longer) [default: 365]'
            cand --key-type 'Key algorithm [default: the existing certificate''s, else rsa2048]'
            cand --out 'File stem: writes DIR/STEM.crt and DIR/STEM.key'
            cand --renew-within 'Reissue when the certificate expires within DAYS'
            cand --not-before 'Start of an explicit validity window, RFC 3339 (with --not-after): issued as asked, past ones included, and never renewed automatically'
            cand --not-after 'End of the explicit validity window, RFC 3339 (with --not-before)'
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand --client 'Also allow the certificate for TLS client authentication (mTLS); kept on renewal'
            cand --no-client 'Drop TLS client authentication from a certificate issued with --client'
            cand --force 'Reissue even when the existing certificate is current'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aitls;sign'= {
            cand --out 'File stem: writes DIR/STEM.crt [default: the CSR''s file name without extension]'
            cand --days 'Validity in days (server certificates: at most 825)'
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand --client 'Also allow the certificate for TLS client authentication (mTLS)'
            cand --intermediate 'Sign a subordinate CA (OpenBao/Vault intermediate) instead of a server certificate'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aitls;verify'= {
            cand --ca 'The CA certificate(s) to trust [default: DIR/ca.crt]'
            cand --key 'Private key to check [default: CERT with .key instead of .crt, when it exists]'
            cand --host 'A name clients connect to (DNS name or IP address); repeatable'
            cand --client 'Only these client families decide the verdict (repeatable; default: all)'
            cand --at 'Check validity at this time instead of now (RFC 3339, e.g. 2027-01-01T00:00:00Z)'
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aitls;inspect'= {
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aitls;env'= {
            cand --format 'Output format [default: dotenv; json with --json]'
            cand --out 'Stem of both services'' certificate: DIR/STEM.crt and DIR/STEM.key [default: server]'
            cand --yolo26 'Stem of YOLO26''s certificate (uvicorn) [default: --out, else aitls.toml''s service = "yolo26" entry, else server]'
            cand --nemotron 'Stem of Nemotron''s certificate (llama-server) [default: --out, else aitls.toml''s service = "nemotron" entry, else server]'
            cand --yolo-url 'URL of the YOLO26 service (https only)'
            cand --nemotron-url 'URL of the Nemotron service, llama-server (https only)'
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aitls;sync'= {
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand --dry-run 'Print the plan and write nothing; no hook runs'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aitls;init'= {
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aitls;export'= {
            cand --format 'What to write'
            cand -o 'Write to FILE (default: stdout, never a terminal for a key)'
            cand --output 'Write to FILE (default: stdout, never a terminal for a key)'
            cand --password-file 'Read the PKCS#12 password from the first line of FILE'
            cand --name 'Kubernetes Secret (and Issuer) name [default: STEM-tls, or aitls-ca for the CA]'
            cand --namespace 'Kubernetes namespace of the Secret (and Issuer)'
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand --no-password 'Write the PKCS#12 file with an empty password'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aitls;probe'= {
            cand --ca 'The CA certificate(s) to trust [default: DIR/ca.crt]'
            cand --cert 'Client certificate for services that require one (mTLS); with --key'
            cand --key 'The client certificate''s private key; with --cert'
            cand --client 'Present DIR/STEM.crt and DIR/STEM.key as the client certificate (mTLS)'
            cand --timeout 'Seconds each target may take, from connecting to the last byte'
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand --system 'Trust the operating system''s CA certificates instead of DIR/ca.crt'
            cand --http 'Also send a GET for the URL''s path and check the status (400 and above fail)'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aitls;fixtures'= {
            cand --key-type 'Key algorithm of every key'
            cand --only 'Make or check only this case (repeatable)'
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aitls;trust'= {
            cand --store 'Only this store (repeatable; default: every store found)'
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand --remove 'Remove the CA from the stores instead'
            cand --check 'Only report whether the CA is trusted (exit 0 when it is in every store)'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aitls;completions'= {
            cand -d 'Certificate directory [default: ai/certs]'
            cand --dir 'Certificate directory [default: ai/certs]'
            cand --manifest 'Project file [default: aitls.toml here or in the nearest parent directory]'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'aitls;help'= {
            cand ca 'Create the private CA, or keep the one in DIR (renewing it when due)'
            cand server 'Issue a server certificate signed by the CA in DIR, or keep a current one'
            cand sign 'Sign a certificate signing request with the CA in DIR (the key stays with its owner)'
            cand verify 'Check a certificate as a TLS client would'
            cand inspect 'Show certificates, bundles, CSRs and keys'
            cand env 'Print the AI services'' TLS settings for the files in DIR'
            cand sync 'Create or renew the CA and every certificate that aitls.toml declares'
            cand init 'Write an aitls.toml for the AI services'' stack (YOLO26, Nemotron, backend client)'
            cand export 'Export a certificate with its key and CA for other platforms (PKCS#12, Kubernetes ...)'
            cand probe 'Check that the running services serve the right certificate, correctly'
            cand fixtures 'Make certificates that are wrong on purpose, to test how TLS clients fail'
            cand trust 'Install the CA in this machine''s trust stores (system, NSS, Java), or remove or check it'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aitls;help;ca'= {
        }
        &'aitls;help;server'= {
        }
        &'aitls;help;sign'= {
        }
        &'aitls;help;verify'= {
        }
        &'aitls;help;inspect'= {
        }
        &'aitls;help;env'= {
        }
        &'aitls;help;sync'= {
        }
        &'aitls;help;init'= {
        }
        &'aitls;help;export'= {
        }
        &'aitls;help;probe'= {
        }
        &'aitls;help;fixtures'= {
        }
        &'aitls;help;trust'= {
        }
        &'aitls;help;completions'= {
        }
        &'aitls;help;help'= {
        }
    ]
    $completions[$command]
}
