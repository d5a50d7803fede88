//! Is the CA fit to sign? Its own constraints, its key, keyCertSign on intermediates, and
//! a `--ca` that is not a CA at all (with its issuer named when it is nearby). Shared by
//! the `chain` check (why rustls rejects the path) and the `ca` check.

use super::Context;
use super::checks::{KEY_CERT_SIGN, describe_name, ku_bit};
use crate::cert::CertInfo;
use crate::fix::Fix;

/// The CA that issued (or should have issued) the chain, and what is wrong with it.
pub(super) struct CaAssessment<'a> {
    pub(super) ca: &'a CertInfo,
    pub(super) problems: Vec<String>,
    pub(super) fix: Fix,
}

pub(super) fn assess_ca<'a>(ctx: &Context<'a>) -> Option<CaAssessment<'a>> {
    let req = ctx.req;
    let (ca_idx, intermediates) = match &ctx.path {
        Ok(path) => (path.anchor, path.intermediates.clone()),
        Err(_) => {
            let top = ctx.chain.last()?;
            let idx = req
                .anchors
                .iter()
                .position(|a| a.subject_raw == top.issuer_raw)
                .or_else(|| (req.anchors.len() == 1).then_some(0))?;
            (idx, Vec::new())
        }
    };
    let ca = req.anchors.get(ca_idx)?;
    // An X.509 v1 certificate has no basicConstraints at all: say it is v1 (below).
    if !ca.is_ca && ca.version >= 3 {
        return Some(not_a_ca(ctx, ca));
    }
    let name = describe_name(ca);
    let mut problems = Vec::new();
    if let Ok(facts) = crate::inspect::key_facts(&ca.spki_der)
        && facts.key_algorithm == "rsa"
        && let Some(bits) = facts.key_bits.filter(|b| *b < 2048)
    {
        problems.push(format!(
            "CA {name} has a {bits}-bit RSA key: rustls, browsers, Python and OpenSSL at its default security level refuse RSA keys under 2048 bits"
        ));
    }
    // The defects `aitls ca` and `aitls server` refuse a CA for (not v3, no keyCertSign,
    // an unknown critical extension, not yet valid, expired), in the same words.
    problems.extend(
        crate::ca_fitness::ca_defects(ca, req.at)
            .iter()
            .map(|d| format!("CA {name} {d}")),
    );
    if ca.eku_present && !ca.server_auth {
        problems.push(format!(
            "CA {name} has an extendedKeyUsage without serverAuth"
        ));
    }
    if let Some(len) = ca
        .path_len
        .filter(|len| intermediates.len() > *len as usize)
    {
        problems.push(format!(
            "CA {name} allows {len} intermediate(s) (pathLenConstraint), the chain has {}",
            intermediates.len()
        ));
    }
    for i in &intermediates {
        if let Some(inter) = ctx
            .chain
            .get(*i)
            .filter(|c| ku_bit(c, KEY_CERT_SIGN) == Some(false))
        {
            problems.push(format!(
                "intermediate {} has keyUsage without keyCertSign, so it may not sign certificates",
                describe_name(inter)
            ));
        }
    }
    Some(CaAssessment {
        ca,
        problems,
        // Replacing a CA is for aitls's own; for one from elsewhere, only its owner can.
        fix: if req.own_ca {
            Fix::RenewCa
        } else {
            Fix::UseFitCa
        },
    })
}

/// The CA file holds a certificate that is not a CA: name its issuer when it is nearby.
fn not_a_ca<'a>(ctx: &Context<'a>, ca: &'a CertInfo) -> CaAssessment<'a> {
    let req = ctx.req;
    let given = if req.own_ca {
        req.ca_path.clone()
    } else {
        format!("--ca {}", req.ca_path)
    };
    let what = if ca.server_auth {
        "a server certificate (CA:FALSE), not a CA"
    } else if ca.has_basic_constraints {
        "not a CA certificate (basicConstraints CA:FALSE)"
    } else {
        "not a CA certificate (no basicConstraints CA:TRUE)"
    };
    let issuer = req
        .nearby
        .iter()
        .find(|n| n.cert.is_ca && n.cert.subject_raw == ca.issuer_raw);
    let (problem, fix) = match issuer {
        Some(n) => (
            format!("{given} is {what}; its issuer is {}", n.path.display()),
            Fix::UseCa {
                path: n.path.clone(),
            },
        ),
        None => (format!("{given} is {what}"), Fix::GiveCa),
    };
    CaAssessment {
        ca,
        problems: vec![problem],
        fix,
    }
}
