//! `aitls verify`'s input parsing (certificate bundles and CA files), then the whole
//! verification with the parsed chain trusted as its own CA, so path building, the CA
//! checks and name matching all run on fuzzed certificates.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(certs) = aitls::verify::parse_certs(data) else {
        return;
    };
    let hosts = ["localhost", "127.0.0.1", "::1", "a.example.com"]
        .iter()
        .filter_map(|h| aitls::verify::parse_host(h).ok())
        .collect();
    let request = aitls::verify::Request {
        chain: certs.clone(),
        anchors: certs.iter().rev().cloned().collect(),
        ca_path: "ca.crt".into(),
        key: None,
        ca_key: None,
        hosts,
        at: time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000),
        stem: Some("server".into()),
        own_ca: true,
        nearby: Vec::new(),
        clients: aitls::clients::Client::ALL.to_vec(),
        ca_pem: aitls::clients::facts::pem_quirks(data),
        cert_pem: aitls::clients::facts::pem_quirks(data),
        key_file: None,
        dir: None,
    };
    let report = aitls::verify::verify(&request);
    // Valid only when every client accepts.
    assert!(!report.valid || report.clients.iter().all(|c| c.accepts));
    // The CA fitness rules on every parsed certificate, at the ends of time too.
    for cert in &certs {
        for at in [
            request.at,
            time::OffsetDateTime::UNIX_EPOCH,
            time::macros::datetime!(9999-12-31 23:59:59 UTC),
        ] {
            for defect in aitls::ca_fitness::ca_defects(cert, at) {
                assert!(!defect.to_string().is_empty());
            }
        }
    }
});
