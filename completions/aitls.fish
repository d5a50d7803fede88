# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_aitls_global_optspecs
    string join \n d/dir= manifest= q/quiet json h/help V/version
end

function __fish_aitls_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_aitls_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_aitls_using_subcommand
    set -l cmd (__fish_aitls_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c aitls -n "__fish_aitls_needs_command" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_needs_command" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_needs_command" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_needs_command" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_needs_command" -s h -l help -d 'Print help'
complete -c aitls -n "__fish_aitls_needs_command" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "ca" -d 'Create the private CA, or keep the one in DIR (renewing it when due)'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "server" -d 'Issue a server certificate signed by the CA in DIR, or keep a current one'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "sign" -d 'Sign a certificate signing request with the CA in DIR (the key stays with its owner)'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "verify" -d 'Check a certificate as a TLS client would'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "inspect" -d 'Show certificates, bundles, CSRs and keys'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "env" -d 'Print the AI services\' TLS settings for the files in DIR'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "sync" -d 'Create or renew the CA and every certificate that aitls.toml declares'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "init" -d 'Write an aitls.toml for the AI services\' stack (YOLO26, Nemotron, backend client)'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "export" -d 'Export a certificate with its key and CA for other platforms (PKCS#12, Kubernetes ...)'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "probe" -d 'Check that the running services serve the right certificate, correctly'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "fixtures" -d 'Make certificates that are wrong on purpose, to test how TLS clients fail'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "trust" -d 'Install the CA in this machine\'s trust stores (system, NSS, Java), or remove or check it'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c aitls -n "__fish_aitls_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aitls -n "__fish_aitls_using_subcommand ca" -l cn -d 'Subject common name of a new CA [default: AI Services CA]' -r
complete -c aitls -n "__fish_aitls_using_subcommand ca" -l days -d 'Validity in days, of a new or renewed CA (1..=3650) [default: 365]' -r
complete -c aitls -n "__fish_aitls_using_subcommand ca" -l key-type -d 'Key algorithm of a new CA [default: rsa4096]' -r -f -a "rsa2048\t'RSA 2048-bit (server default, as in the OpenSSL recipe)'
rsa3072\t'RSA 3072-bit'
rsa4096\t'RSA 4096-bit (CA default, as in the OpenSSL recipe)'
ecdsa-p256\t'ECDSA P-256: small and fast, accepted everywhere'
ecdsa-p384\t'ECDSA P-384, signing with SHA-384'
ed25519\t'Ed25519: small and fast, but browsers do not accept it for TLS servers'"
complete -c aitls -n "__fish_aitls_using_subcommand ca" -l renew-within -d 'Renew the CA certificate when it expires within DAYS' -r
complete -c aitls -n "__fish_aitls_using_subcommand ca" -l pathlen -d 'A new or renewed CA may sign N levels of intermediates (aitls sign --intermediate) [default: 0]' -r
complete -c aitls -n "__fish_aitls_using_subcommand ca" -l permit -d 'Permit only these names (repeatable): example.com (it and every name under it), .example.com (only names under it), 10.0.0.0/8, ::1/128, or `local` for localhost, .localhost, .test, .internal, .home.arpa, 127.0.0.0/8 and ::1/128. Without an IP range, no IP address is permitted' -r
complete -c aitls -n "__fish_aitls_using_subcommand ca" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand ca" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand ca" -l force -d 'Replace an existing CA with a new key (every client must then trust the new ca.crt)'
complete -c aitls -n "__fish_aitls_using_subcommand ca" -l renew -d 'Renew the CA certificate now, for the same key and subject'
complete -c aitls -n "__fish_aitls_using_subcommand ca" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_using_subcommand ca" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_using_subcommand ca" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aitls -n "__fish_aitls_using_subcommand ca" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_using_subcommand server" -l cn -d 'Subject common name, one of the names (default: the existing certificate\'s, else the first DNS name, else the first IP address)' -r
complete -c aitls -n "__fish_aitls_using_subcommand server" -l days -d 'Validity in days (1..=825; Apple platforms reject longer) [default: 365]' -r
complete -c aitls -n "__fish_aitls_using_subcommand server" -l key-type -d 'Key algorithm [default: the existing certificate\'s, else rsa2048]' -r -f -a "rsa2048\t'RSA 2048-bit (server default, as in the OpenSSL recipe)'
rsa3072\t'RSA 3072-bit'
rsa4096\t'RSA 4096-bit (CA default, as in the OpenSSL recipe)'
ecdsa-p256\t'ECDSA P-256: small and fast, accepted everywhere'
ecdsa-p384\t'ECDSA P-384, signing with SHA-384'
ed25519\t'Ed25519: small and fast, but browsers do not accept it for TLS servers'"
complete -c aitls -n "__fish_aitls_using_subcommand server" -l out -d 'File stem: writes DIR/STEM.crt and DIR/STEM.key' -r
complete -c aitls -n "__fish_aitls_using_subcommand server" -l renew-within -d 'Reissue when the certificate expires within DAYS' -r
complete -c aitls -n "__fish_aitls_using_subcommand server" -l not-before -d 'Start of an explicit validity window, RFC 3339 (with --not-after): issued as asked, past ones included, and never renewed automatically' -r
complete -c aitls -n "__fish_aitls_using_subcommand server" -l not-after -d 'End of the explicit validity window, RFC 3339 (with --not-before)' -r
complete -c aitls -n "__fish_aitls_using_subcommand server" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand server" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand server" -l client -d 'Also allow the certificate for TLS client authentication (mTLS); kept on renewal'
complete -c aitls -n "__fish_aitls_using_subcommand server" -l no-client -d 'Drop TLS client authentication from a certificate issued with --client'
complete -c aitls -n "__fish_aitls_using_subcommand server" -l force -d 'Reissue even when the existing certificate is current'
complete -c aitls -n "__fish_aitls_using_subcommand server" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_using_subcommand server" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_using_subcommand server" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aitls -n "__fish_aitls_using_subcommand server" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_using_subcommand sign" -l out -d 'File stem: writes DIR/STEM.crt [default: the CSR\'s file name without extension]' -r
complete -c aitls -n "__fish_aitls_using_subcommand sign" -l days -d 'Validity in days (server certificates: at most 825)' -r
complete -c aitls -n "__fish_aitls_using_subcommand sign" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand sign" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand sign" -l client -d 'Also allow the certificate for TLS client authentication (mTLS)'
complete -c aitls -n "__fish_aitls_using_subcommand sign" -l intermediate -d 'Sign a subordinate CA (OpenBao/Vault intermediate) instead of a server certificate'
complete -c aitls -n "__fish_aitls_using_subcommand sign" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_using_subcommand sign" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_using_subcommand sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aitls -n "__fish_aitls_using_subcommand sign" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_using_subcommand verify" -l ca -d 'The CA certificate(s) to trust [default: DIR/ca.crt]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand verify" -l key -d 'Private key to check [default: CERT with .key instead of .crt, when it exists]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand verify" -l host -d 'A name clients connect to (DNS name or IP address); repeatable' -r
complete -c aitls -n "__fish_aitls_using_subcommand verify" -l client -d 'Only these client families decide the verdict (repeatable; default: all)' -r -f -a "openssl\t''
python3.13\t''
rustls\t''
go\t''
java\t''
chromium\t''
firefox\t''
apple\t''
gnutls\t''"
complete -c aitls -n "__fish_aitls_using_subcommand verify" -l at -d 'Check validity at this time instead of now (RFC 3339, e.g. 2027-01-01T00:00:00Z)' -r
complete -c aitls -n "__fish_aitls_using_subcommand verify" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand verify" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand verify" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_using_subcommand verify" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aitls -n "__fish_aitls_using_subcommand verify" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_using_subcommand inspect" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand inspect" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand inspect" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_using_subcommand inspect" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aitls -n "__fish_aitls_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_using_subcommand env" -l format -d 'Output format [default: dotenv; json with --json]' -r -f -a "dotenv\t'KEY=value lines for a .env file (python-dotenv, docker compose env_file)'
shell\t'export KEY=\'value\' lines, safe to eval in sh, bash and zsh'
json\t'One JSON object mapping each variable to its value'"
complete -c aitls -n "__fish_aitls_using_subcommand env" -l out -d 'Stem of both services\' certificate: DIR/STEM.crt and DIR/STEM.key [default: server]' -r
complete -c aitls -n "__fish_aitls_using_subcommand env" -l yolo26 -d 'Stem of YOLO26\'s certificate (uvicorn) [default: --out, else aitls.toml\'s service = "yolo26" entry, else server]' -r
complete -c aitls -n "__fish_aitls_using_subcommand env" -l nemotron -d 'Stem of Nemotron\'s certificate (llama-server) [default: --out, else aitls.toml\'s service = "nemotron" entry, else server]' -r
complete -c aitls -n "__fish_aitls_using_subcommand env" -l yolo-url -d 'URL of the YOLO26 service (https only)' -r
complete -c aitls -n "__fish_aitls_using_subcommand env" -l nemotron-url -d 'URL of the Nemotron service, llama-server (https only)' -r
complete -c aitls -n "__fish_aitls_using_subcommand env" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand env" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand env" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_using_subcommand env" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_using_subcommand env" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aitls -n "__fish_aitls_using_subcommand env" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_using_subcommand sync" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand sync" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand sync" -l dry-run -d 'Print the plan and write nothing; no hook runs'
complete -c aitls -n "__fish_aitls_using_subcommand sync" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_using_subcommand sync" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aitls -n "__fish_aitls_using_subcommand sync" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_using_subcommand init" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand init" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand init" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_using_subcommand init" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aitls -n "__fish_aitls_using_subcommand init" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_using_subcommand export" -l format -d 'What to write' -r -f -a "p12\t'PKCS#12: key, certificate and CA, password-protected (Java, Windows, browsers)'
fullchain\t'The certificate followed by the CA certificate, PEM (nginx ssl_certificate)'
k8s-secret\t'A Kubernetes kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt), YAML'
cert-manager\t'The CA as a Secret plus a cert-manager Issuer of kind CA, YAML (`ca` only)'
pem-bundle\t'Key and certificate in one PEM file (OpenBao/Vault pki/config/ca pem_bundle)'"
complete -c aitls -n "__fish_aitls_using_subcommand export" -s o -l output -d 'Write to FILE (default: stdout, never a terminal for a key)' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand export" -l password-file -d 'Read the PKCS#12 password from the first line of FILE' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand export" -l name -d 'Kubernetes Secret (and Issuer) name [default: STEM-tls, or aitls-ca for the CA]' -r
complete -c aitls -n "__fish_aitls_using_subcommand export" -l namespace -d 'Kubernetes namespace of the Secret (and Issuer)' -r
complete -c aitls -n "__fish_aitls_using_subcommand export" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand export" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand export" -l no-password -d 'Write the PKCS#12 file with an empty password'
complete -c aitls -n "__fish_aitls_using_subcommand export" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_using_subcommand export" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aitls -n "__fish_aitls_using_subcommand export" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_using_subcommand probe" -l ca -d 'The CA certificate(s) to trust [default: DIR/ca.crt]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand probe" -l cert -d 'Client certificate for services that require one (mTLS); with --key' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand probe" -l key -d 'The client certificate\'s private key; with --cert' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand probe" -l client -d 'Present DIR/STEM.crt and DIR/STEM.key as the client certificate (mTLS)' -r
complete -c aitls -n "__fish_aitls_using_subcommand probe" -l timeout -d 'Seconds each target may take, from connecting to the last byte' -r
complete -c aitls -n "__fish_aitls_using_subcommand probe" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand probe" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand probe" -l system -d 'Trust the operating system\'s CA certificates instead of DIR/ca.crt'
complete -c aitls -n "__fish_aitls_using_subcommand probe" -l http -d 'Also send a GET for the URL\'s path and check the status (400 and above fail)'
complete -c aitls -n "__fish_aitls_using_subcommand probe" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_using_subcommand probe" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_using_subcommand probe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aitls -n "__fish_aitls_using_subcommand probe" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_using_subcommand fixtures" -l key-type -d 'Key algorithm of every key' -r -f -a "rsa2048\t'RSA 2048-bit (server default, as in the OpenSSL recipe)'
rsa3072\t'RSA 3072-bit'
rsa4096\t'RSA 4096-bit (CA default, as in the OpenSSL recipe)'
ecdsa-p256\t'ECDSA P-256: small and fast, accepted everywhere'
ecdsa-p384\t'ECDSA P-384, signing with SHA-384'
ed25519\t'Ed25519: small and fast, but browsers do not accept it for TLS servers'"
complete -c aitls -n "__fish_aitls_using_subcommand fixtures" -l only -d 'Make or check only this case (repeatable)' -r
complete -c aitls -n "__fish_aitls_using_subcommand fixtures" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand fixtures" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand fixtures" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_using_subcommand fixtures" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_using_subcommand fixtures" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aitls -n "__fish_aitls_using_subcommand fixtures" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_using_subcommand trust" -l store -d 'Only this store (repeatable; default: every store found)' -r -f -a "system\t'the system store (curl, wget, OpenSSL, Go, Python\'s ssl default paths)'
nss\t'NSS databases: Chromium ~/.pki/nssdb and Firefox profiles'
java\t'Java cacerts (of $JAVA_HOME, or of the java on PATH)'"
complete -c aitls -n "__fish_aitls_using_subcommand trust" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand trust" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand trust" -l remove -d 'Remove the CA from the stores instead'
complete -c aitls -n "__fish_aitls_using_subcommand trust" -l check -d 'Only report whether the CA is trusted (exit 0 when it is in every store)'
complete -c aitls -n "__fish_aitls_using_subcommand trust" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_using_subcommand trust" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_using_subcommand trust" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aitls -n "__fish_aitls_using_subcommand trust" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_using_subcommand completions" -s d -l dir -d 'Certificate directory [default: ai/certs]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand completions" -l manifest -d 'Project file [default: aitls.toml here or in the nearest parent directory]' -r -F
complete -c aitls -n "__fish_aitls_using_subcommand completions" -s q -l quiet -d 'Print errors only'
complete -c aitls -n "__fish_aitls_using_subcommand completions" -l json -d 'Print one JSON document on stdout instead of text'
complete -c aitls -n "__fish_aitls_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aitls -n "__fish_aitls_using_subcommand completions" -s V -l version -d 'Print version'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "ca" -d 'Create the private CA, or keep the one in DIR (renewing it when due)'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "server" -d 'Issue a server certificate signed by the CA in DIR, or keep a current one'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "sign" -d 'Sign a certificate signing request with the CA in DIR (the key stays with its owner)'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "verify" -d 'Check a certificate as a TLS client would'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "inspect" -d 'Show certificates, bundles, CSRs and keys'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "env" -d 'Print the AI services\' TLS settings for the files in DIR'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "sync" -d 'Create or renew the CA and every certificate that aitls.toml declares'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "init" -d 'Write an aitls.toml for the AI services\' stack (YOLO26, Nemotron, backend client)'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "export" -d 'Export a certificate with its key and CA for other platforms (PKCS#12, Kubernetes ...)'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "probe" -d 'Check that the running services serve the right certificate, correctly'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "fixtures" -d 'Make certificates that are wrong on purpose, to test how TLS clients fail'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "trust" -d 'Install the CA in this machine\'s trust stores (system, NSS, Java), or remove or check it'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c aitls -n "__fish_aitls_using_subcommand help; and not __fish_seen_subcommand_from ca server sign verify inspect env sync init export probe fixtures trust completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
