//! Seating the people of a class lottery (spec/fairness.md §7): every
//! member of class `k` sits in `⌊T_k/size_k⌋` or `⌈T_k/size_k⌉` of the
//! panels (`T_k` the class's seats over the lottery), households
//! respected.
//!
//! Per household type, with `n` households of it: a bipartite multigraph
//! joins each panel to the *slots* of the type, where slot `(k, i)` stands
//! for the `i`-th member (pool order) in class `k` of every household; the
//! class's seats go to its slots in turn over the lottery, so a slot has
//! `⌊T_k/mult⌋` or `⌈T_k/mult⌉` edges (`mult` members per household in
//! the class). Colouring the edges with the `n` households, a colour at
//! most once per panel (one seat per household) and each colour
//! `⌊d/n⌋` or `⌈d/n⌉` times at a slot of degree `d`, seats every member
//! within one of the class mean: such an *equitable* colouring exists for
//! every bipartite multigraph (de Werra 1971). It is built greedily (the
//! free household with the fewest seats at the slot) and then balanced:
//! while some slot has colours `α`, `β` with counts differing by two or
//! more, the edges coloured `α` or `β` are split into trails, pairing the
//! edges at every vertex, and each trail is recoloured alternately, which
//! leaves every vertex within one between `α` and `β`, keeps a panel's
//! colours distinct, and strictly lowers `Σ count²`: it terminates.
//! Everything is in a fixed order (types, classes, pool order), so the
//! panels depend only on the lottery.

use alloc::vec;
use alloc::vec::Vec;

use super::classes::Classes;
use super::SolveError;
use crate::fairness::pool::Pool;
use crate::sortition::panel::PanelList;

/// One seat of a type in one panel: the slot it fills and its household.
#[derive(Clone, Copy)]
struct Edge {
    panel: usize,
    slot: usize,
    colour: usize,
}

/// The panels of `pool` realising the class allocations, in order.
pub(crate) fn panels(
    classes: &Classes,
    pool: &Pool,
    allocations: &[&[u32]],
) -> Result<PanelList, SolveError> {
    let mut seated: Vec<Vec<usize>> = vec![Vec::new(); allocations.len()];
    for households in classes.households() {
        seat_type(households, allocations, &mut seated)?;
    }
    let panels = seated
        .into_iter()
        .map(|mut panel| {
            panel.sort_unstable();
            panel
                .iter()
                .filter_map(|&i| pool.people.get(i).map(|p| p.key))
                .collect()
        })
        .collect();
    PanelList::new(panels).map_err(SolveError::Problem)
}

/// Seats the households of one type (each a list of `(pool index,
/// class)`, all with the same classes) in every panel.
fn seat_type(
    households: &[Vec<(usize, usize)>],
    allocations: &[&[u32]],
    seated: &mut [Vec<usize>],
) -> Result<(), SolveError> {
    let Some(first) = households.first() else {
        return Ok(());
    };
    let n = households.len();
    // The slots: per class of the type (in class order), one per member
    // of a household in it.
    let mut slots: Vec<(usize, usize)> = Vec::new();
    let mut classes: Vec<(usize, usize, usize)> = Vec::new(); // (class, first slot, mult)
    let mut ks: Vec<usize> = first.iter().map(|&(_, k)| k).collect();
    ks.sort_unstable();
    ks.dedup();
    for k in ks {
        let mult = first.iter().filter(|&&(_, c)| c == k).count();
        classes.push((k, slots.len(), mult));
        slots.extend((0..mult).map(|i| (k, i)));
    }
    let edges = colour(n, slots.len(), &classes, allocations)?;
    for e in edges {
        let (k, i) = slots.get(e.slot).copied().ok_or_else(too_few)?;
        let person = households
            .get(e.colour)
            .and_then(|h| h.iter().filter(|&&(_, c)| c == k).nth(i))
            .map(|&(p, _)| p)
            .ok_or_else(too_few)?;
        seated.get_mut(e.panel).ok_or_else(too_few)?.push(person);
    }
    Ok(())
}

fn too_few() -> SolveError {
    SolveError::Solver("a class allocation has too few households".into())
}

/// An equitable colouring of the type's panel–slot multigraph with `n`
/// colours.
fn colour(
    n: usize,
    slots: usize,
    classes: &[(usize, usize, usize)],
    allocations: &[&[u32]],
) -> Result<Vec<Edge>, SolveError> {
    let mut count = vec![vec![0u64; n]; slots];
    let mut edges = Vec::new();
    let mut turn = vec![0usize; classes.len()];
    for (panel, z) in allocations.iter().enumerate() {
        let mut used = vec![false; n];
        for ((k, first, mult), t) in classes.iter().zip(&mut turn) {
            for _ in 0..z.get(*k).copied().unwrap_or(0) {
                let slot = first + *t % (*mult).max(1);
                *t += 1;
                let at = count.get_mut(slot).ok_or_else(too_few)?;
                let colour = (0..n)
                    .filter(|&h| !used.get(h).copied().unwrap_or(true))
                    .min_by_key(|&h| (at.get(h).copied().unwrap_or(0), h))
                    .ok_or_else(too_few)?;
                if let (Some(u), Some(c)) = (used.get_mut(colour), at.get_mut(colour)) {
                    *u = true;
                    *c += 1;
                }
                edges.push(Edge {
                    panel,
                    slot,
                    colour,
                });
            }
        }
    }
    while let Some((alpha, beta)) = unbalanced(&count) {
        balance(&mut edges, &mut count, alpha, beta);
    }
    Ok(edges)
}

/// The first slot's most and least used colours, if they differ by two or
/// more.
fn unbalanced(count: &[Vec<u64>]) -> Option<(usize, usize)> {
    count.iter().find_map(|at| {
        let (hi, &max) = at
            .iter()
            .enumerate()
            .min_by_key(|&(h, &c)| (core::cmp::Reverse(c), h))?;
        let (lo, &min) = at.iter().enumerate().min_by_key(|&(h, &c)| (c, h))?;
        (max >= min + 2).then_some((hi, lo))
    })
}

/// Recolours the edges coloured `alpha` or `beta` so that every panel and
/// slot has them within one of each other (see the module documentation).
fn balance(edges: &mut [Edge], count: &mut [Vec<u64>], alpha: usize, beta: usize) {
    let chosen: Vec<usize> = (0..edges.len())
        .filter(|&e| {
            edges
                .get(e)
                .is_some_and(|x| x.colour == alpha || x.colour == beta)
        })
        .collect();
    // Pair the chosen edges at every panel (at most two there) and slot.
    let mut at_panel: Vec<Option<usize>> = vec![None; edges.len()];
    let mut at_slot: Vec<Option<usize>> = vec![None; edges.len()];
    pair(edges, &chosen, |e| e.panel, &mut at_panel);
    pair(edges, &chosen, |e| e.slot, &mut at_slot);
    let mut done = vec![false; edges.len()];
    // Open trails first (from an edge unpaired at its panel end, leaving
    // by its slot end, or unpaired at its slot end, leaving by its panel
    // end), then the closed ones.
    let starts = chosen
        .iter()
        .filter_map(|&e| match (at_panel.get(e)?, at_slot.get(e)?) {
            (None, _) => Some((e, true)),
            (_, None) => Some((e, false)),
            _ => None,
        })
        .chain(chosen.iter().map(|&e| (e, true)));
    let starts: Vec<(usize, bool)> = starts.collect();
    for (start, by_slot) in starts {
        if done.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut e = start;
        let mut by_slot = by_slot;
        let mut colour = alpha;
        loop {
            if let Some(d) = done.get_mut(e) {
                *d = true;
            }
            if let Some(x) = edges.get_mut(e) {
                x.colour = colour;
            }
            colour = if colour == alpha { beta } else { alpha };
            let next = if by_slot {
                at_slot.get(e)
            } else {
                at_panel.get(e)
            };
            match next.copied().flatten() {
                Some(f) if !done.get(f).copied().unwrap_or(true) => {
                    e = f;
                    by_slot = !by_slot;
                }
                _ => break,
            }
        }
    }
    for at in count.iter_mut() {
        for h in [alpha, beta] {
            if let Some(c) = at.get_mut(h) {
                *c = 0;
            }
        }
    }
    for &e in &chosen {
        if let Some(x) = edges.get(e) {
            if let Some(c) = count.get_mut(x.slot).and_then(|at| at.get_mut(x.colour)) {
                *c += 1;
            }
        }
    }
}

/// Pairs consecutive chosen edges sharing the vertex `end(edge)`.
fn pair(
    edges: &[Edge],
    chosen: &[usize],
    end: impl Fn(&Edge) -> usize,
    partner: &mut [Option<usize>],
) {
    let mut open: alloc::collections::BTreeMap<usize, usize> = alloc::collections::BTreeMap::new();
    for &e in chosen {
        let Some(v) = edges.get(e).map(&end) else {
            continue;
        };
        match open.remove(&v) {
            Some(f) => {
                if let Some(p) = partner.get_mut(e) {
                    *p = Some(f);
                }
                if let Some(p) = partner.get_mut(f) {
                    *p = Some(e);
                }
            }
            None => {
                open.insert(v, e);
            }
        }
    }
}
