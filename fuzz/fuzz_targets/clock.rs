//! Checked date arithmetic (`aitls::clock`) at any instant and any validity: an error,
//! never a panic, and a result always within what a certificate can hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (i64, u32, u32)| {
    let (secs, days, minutes) = input;
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(secs) else {
        return;
    };
    if let Ok(end) = aitls::clock::add_days(t, days, "x") {
        assert!(end >= t && end.year() <= 9999);
    }
    if let Ok(start) = aitls::clock::sub(t, time::Duration::minutes(i64::from(minutes)), "x") {
        assert!(start <= t && start.year() >= 1);
    }
    let system = if secs >= 0 {
        std::time::SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::from_secs(secs.unsigned_abs()))
    } else {
        std::time::SystemTime::UNIX_EPOCH.checked_sub(std::time::Duration::from_secs(secs.unsigned_abs()))
    };
    if let Some(system) = system {
        let _ = aitls::clock::from_system_time(system);
    }
});
