//! The private key reader (`aitls::keyfile`): any bytes as a key file (PEM with any label
//! and headers, or DER), and any bytes as the body of each key form, through the facts
//! every command decides on and the signing-key loader of `aitls ca`/`aitls server`.
#![no_main]

use aitls::keyfile::{self, KeyForm, RawKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(facts) = keyfile::read_file_bytes(data) {
        // An encrypted key never yields a public half; a public half is always a key.
        if facts.encrypted {
            assert!(facts.spki_der.is_none());
        }
        if let Some(spki) = &facts.spki_der {
            let _ = aitls::inspect::key_facts(spki);
        }
    }
    let _ = aitls::issue::load_key(data);
    for form in [
        KeyForm::Pkcs8,
        KeyForm::EncryptedPkcs8,
        KeyForm::Pkcs1,
        KeyForm::Sec1,
        KeyForm::Dsa,
        KeyForm::LegacyEncrypted,
        KeyForm::Der,
    ] {
        let raw = RawKey {
            der: data.to_vec(),
            form,
            label_algorithm: Some("RSA"),
            dek_cipher: None,
        };
        let _ = keyfile::read(&raw);
    }
});
