
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'aitls' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'aitls'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'aitls' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('ca', 'ca', [CompletionResultType]::ParameterValue, 'Create the private CA, or keep the one in DIR (renewing it when due)')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Issue a server certificate signed by the CA in DIR, or keep a current one')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign a certificate signing request with the CA in DIR (the key stays with its owner)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a certificate as a TLS client would')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show certificates, bundles, CSRs and keys')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print the AI services'' TLS settings for the files in DIR')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Create or renew the CA and every certificate that aitls.toml declares')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write an aitls.toml for the AI services'' stack (YOLO26, Nemotron, backend client)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export a certificate with its key and CA for other platforms (PKCS#12, Kubernetes ...)')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Check that the running services serve the right certificate, correctly')
            [CompletionResult]::new('fixtures', 'fixtures', [CompletionResultType]::ParameterValue, 'Make certificates that are wrong on purpose, to test how TLS clients fail')
            [CompletionResult]::new('trust', 'trust', [CompletionResultType]::ParameterValue, 'Install the CA in this machine''s trust stores (system, NSS, Java), or remove or check it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aitls;ca' {
            [CompletionResult]::new('--cn', '--cn', [CompletionResultType]::ParameterName, 'Subject common name of a new CA [default: AI Services CA]')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Validity in days, of a new or renewed CA (1..=3650) [default: 365]')
            [CompletionResult]::new('--key-type', '--key-type', [CompletionResultType]::ParameterName, 'Key algorithm of a new CA [default: rsa4096]')
            [CompletionResult]::new('--renew-within', '--renew-within', [CompletionResultType]::ParameterName, 'Renew the CA certificate when it expires within DAYS')
            [CompletionResult]::new('--pathlen', '--pathlen', [CompletionResultType]::ParameterName, 'A new or renewed CA may sign N levels of intermediates (aitls sign --intermediate) [default: 0]')
            [CompletionResult]::new('--permit', '--permit', [CompletionResultType]::ParameterName, 'Permit only these names (repeatable): example.com (it and every name under it), .example.com (only names under it), 10.0.0.0/8, ::1/128, or `local` for localhost, .localhost, .test, .internal, .home.arpa, 127.0.0.0/8 and ::1/128. Without an IP range, no IP address is permitted')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing CA with a new key (every client must then trust the new ca.crt)')
            [CompletionResult]::new('--renew', '--renew', [CompletionResultType]::ParameterName, 'Renew the CA certificate now, for the same key and subject')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aitls;server' {
            [CompletionResult]::new('--cn', '--cn', [CompletionResultType]::ParameterName, 'Subject common name, one of the names (default: the existing certificate''s, else the first DNS name, else the first IP address)')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Validity in days (1..=825; Apple platforms reject longer) [default: 365]')
            [CompletionResult]::new('--key-type', '--key-type', [CompletionResultType]::ParameterName, 'Key algorithm [default: the existing certificate''s, else rsa2048]')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'File stem: writes DIR/STEM.crt and DIR/STEM.key')
            [CompletionResult]::new('--renew-within', '--renew-within', [CompletionResultType]::ParameterName, 'Reissue when the certificate expires within DAYS')
            [CompletionResult]::new('--not-before', '--not-before', [CompletionResultType]::ParameterName, 'Start of an explicit validity window, RFC 3339 (with --not-after): issued as asked, past ones included, and never renewed automatically')
            [CompletionResult]::new('--not-after', '--not-after', [CompletionResultType]::ParameterName, 'End of the explicit validity window, RFC 3339 (with --not-before)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Also allow the certificate for TLS client authentication (mTLS); kept on renewal')
            [CompletionResult]::new('--no-client', '--no-client', [CompletionResultType]::ParameterName, 'Drop TLS client authentication from a certificate issued with --client')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Reissue even when the existing certificate is current')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aitls;sign' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'File stem: writes DIR/STEM.crt [default: the CSR''s file name without extension]')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Validity in days (server certificates: at most 825)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Also allow the certificate for TLS client authentication (mTLS)')
            [CompletionResult]::new('--intermediate', '--intermediate', [CompletionResultType]::ParameterName, 'Sign a subordinate CA (OpenBao/Vault intermediate) instead of a server certificate')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aitls;verify' {
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'The CA certificate(s) to trust [default: DIR/ca.crt]')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key to check [default: CERT with .key instead of .crt, when it exists]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'A name clients connect to (DNS name or IP address); repeatable')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Only these client families decide the verdict (repeatable; default: all)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Check validity at this time instead of now (RFC 3339, e.g. 2027-01-01T00:00:00Z)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aitls;inspect' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aitls;env' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: dotenv; json with --json]')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Stem of both services'' certificate: DIR/STEM.crt and DIR/STEM.key [default: server]')
            [CompletionResult]::new('--yolo26', '--yolo26', [CompletionResultType]::ParameterName, 'Stem of YOLO26''s certificate (uvicorn) [default: --out, else aitls.toml''s service = "yolo26" entry, else server]')
            [CompletionResult]::new('--nemotron', '--nemotron', [CompletionResultType]::ParameterName, 'Stem of Nemotron''s certificate (llama-server) [default: --out, else aitls.toml''s service = "nemotron" entry, else server]')
            [CompletionResult]::new('--yolo-url', '--yolo-url', [CompletionResultType]::ParameterName, 'URL of the YOLO26 service (https only)')
            [CompletionResult]::new('--nemotron-url', '--nemotron-url', [CompletionResultType]::ParameterName, 'URL of the Nemotron service, llama-server (https only)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aitls;sync' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and write nothing; no hook runs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aitls;init' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aitls;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'What to write')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (default: stdout, never a terminal for a key)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (default: stdout, never a terminal for a key)')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the PKCS#12 password from the first line of FILE')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Kubernetes Secret (and Issuer) name [default: STEM-tls, or aitls-ca for the CA]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the Secret (and Issuer)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('--no-password', '--no-password', [CompletionResultType]::ParameterName, 'Write the PKCS#12 file with an empty password')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aitls;probe' {
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'The CA certificate(s) to trust [default: DIR/ca.crt]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Client certificate for services that require one (mTLS); with --key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The client certificate''s private key; with --cert')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Present DIR/STEM.crt and DIR/STEM.key as the client certificate (mTLS)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds each target may take, from connecting to the last byte')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'Trust the operating system''s CA certificates instead of DIR/ca.crt')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'Also send a GET for the URL''s path and check the status (400 and above fail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aitls;fixtures' {
            [CompletionResult]::new('--key-type', '--key-type', [CompletionResultType]::ParameterName, 'Key algorithm of every key')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Make or check only this case (repeatable)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aitls;trust' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Only this store (repeatable; default: every store found)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('--remove', '--remove', [CompletionResultType]::ParameterName, 'Remove the CA from the stores instead')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Only report whether the CA is trusted (exit 0 when it is in every store)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aitls;completions' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Certificate directory [default: ai/certs]')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Project file [default: aitls.toml here or in the nearest parent directory]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'aitls;help' {
            [CompletionResult]::new('ca', 'ca', [CompletionResultType]::ParameterValue, 'Create the private CA, or keep the one in DIR (renewing it when due)')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Issue a server certificate signed by the CA in DIR, or keep a current one')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign a certificate signing request with the CA in DIR (the key stays with its owner)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a certificate as a TLS client would')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show certificates, bundles, CSRs and keys')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print the AI services'' TLS settings for the files in DIR')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Create or renew the CA and every certificate that aitls.toml declares')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write an aitls.toml for the AI services'' stack (YOLO26, Nemotron, backend client)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export a certificate with its key and CA for other platforms (PKCS#12, Kubernetes ...)')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Check that the running services serve the right certificate, correctly')
            [CompletionResult]::new('fixtures', 'fixtures', [CompletionResultType]::ParameterValue, 'Make certificates that are wrong on purpose, to test how TLS clients fail')
            [CompletionResult]::new('trust', 'trust', [CompletionResultType]::ParameterValue, 'Install the CA in this machine''s trust stores (system, NSS, Java), or remove or check it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aitls;help;ca' {
            break
        }
        'aitls;help;server' {
            break
        }
        'aitls;help;sign' {
            break
        }
        'aitls;help;verify' {
            break
        }
        'aitls;help;inspect' {
            break
        }
        'aitls;help;env' {
            break
        }
        'aitls;help;sync' {
            break
        }
        'aitls;help;init' {
            break
        }
        'aitls;help;export' {
            break
        }
        'aitls;help;probe' {
            break
        }
        'aitls;help;fixtures' {
            break
        }
        'aitls;help;trust' {
            break
        }
        'aitls;help;completions' {
            break
        }
        'aitls;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
