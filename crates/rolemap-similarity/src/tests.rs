use super::*;

/// Roles 0..4 over skills 0..6.
fn sample() -> Profiles {
    Profiles::new(
        5,
        6,
        [
            // 0: team leader
            (0, 0, true),
            (0, 1, true),
            (0, 2, false),
            // 1: operations manager: 0's skills and more
            (1, 0, true),
            (1, 1, true),
            (1, 2, true),
            (1, 3, true),
            // 2: one optional skill of 0's
            (2, 2, false),
            // 3: nothing shared
            (3, 4, true),
            (3, 5, false),
            // 4: the same as 0
            (4, 0, true),
            (4, 1, true),
            (4, 2, false),
        ],
    )
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn components_follow_their_definitions() {
    let p = sample();
    let all = p.compare_all(0);
    let to = |other: u32| all.iter().find(|s| s.other == other).copied();
    // The same profile: everything 1.
    let same = to(4).expect("role 4");
    assert!(close(same.cosine, 1.0) && close(same.jaccard, 1.0) && close(same.coverage, 1.0));
    assert!(close(same.score, 1.0));
    assert_eq!(same.shared, 3);
    // Role 1: dot = 1 + 1 + 0.5 = 2.5; |0| = sqrt(2.25) = 1.5, |1| = 2; cosine 2.5 / 3.
    let manager = to(1).expect("role 1");
    assert!(close(manager.cosine, 2.5 / 3.0), "{manager:?}");
    assert!(close(manager.jaccard, 3.0 / 4.0));
    // Role 1 has 4 essential skills; role 0 has 3 of them.
    assert!(close(manager.coverage, 3.0 / 4.0));
    assert!(close(
        manager.score,
        0.5 * 2.5 / 3.0 + 0.2 * 0.75 + 0.3 * 0.75
    ));
    // Role 2 lists no essential skill: no coverage.
    let optional = to(2).expect("role 2");
    assert!(close(optional.coverage, 0.0));
    assert!(close(optional.cosine, 0.25 / 1.5 / 0.5), "{optional:?}");
    // Role 3 shares nothing: not listed. Nor is role 0 itself.
    assert!(to(3).is_none() && to(0).is_none());
}

#[test]
fn coverage_is_asymmetric() {
    let p = sample();
    let up = p
        .compare_all(0)
        .into_iter()
        .find(|s| s.other == 1)
        .expect("0 -> 1");
    let down = p
        .compare_all(1)
        .into_iter()
        .find(|s| s.other == 0)
        .expect("1 -> 0");
    assert!(close(up.coverage, 0.75));
    assert!(close(down.coverage, 1.0));
    assert!(close(up.cosine, down.cosine) && close(up.jaccard, down.jaccard));
}

#[test]
fn neighbours_are_best_first_with_ties_by_number() {
    let p = sample();
    let near = p.neighbours(0, 2);
    assert_eq!(near.iter().map(|s| s.other).collect::<Vec<_>>(), [4, 1]);
    let twins = Profiles::new(3, 1, [(0, 0, true), (1, 0, true), (2, 0, true)]);
    assert_eq!(
        twins
            .neighbours(0, 5)
            .iter()
            .map(|s| s.other)
            .collect::<Vec<_>>(),
        [1, 2]
    );
}

#[test]
fn all_pairs_agree_with_one_role_at_a_time() {
    let p = sample();
    let all = p.all_neighbours(3);
    assert_eq!(all.len(), 5);
    for (origin, near) in all.iter().enumerate() {
        assert_eq!(near, &p.neighbours(origin as u32, 3), "role {origin}");
    }
    let pairs = std::sync::atomic::AtomicUsize::new(0);
    p.all_neighbours_with(0, |_, _| {
        pairs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    // Pairs sharing a skill, each origin with itself included: 0,1,2,4 all touch each other
    // (16) and 3 only itself (1).
    assert_eq!(pairs.into_inner(), 17);
}

#[test]
fn repeats_and_out_of_range_numbers_are_harmless() {
    let p = Profiles::new(
        2,
        2,
        [
            (0, 0, false),
            (0, 0, true),
            (1, 0, true),
            (7, 0, true),
            (0, 9, true),
        ],
    );
    let s = p.neighbours(0, 5);
    assert_eq!(s.len(), 1);
    assert!(close(s[0].cosine, 1.0), "{s:?}");
    assert_eq!(p.skills_of(0).collect::<Vec<_>>(), [(0, true)]);
    assert!(p.neighbours(9, 5).is_empty());
    let empty = Profiles::new(0, 0, []);
    assert!(empty.all_neighbours(10).is_empty());
}

/// `roles` roles over `skills` skills, each pair required with probability about 1/`one_in`,
/// essential half the time; a fixed-seed xorshift, so every run builds the same.
fn random(roles: u32, skills: u32, one_in: u64, seed: u64) -> Profiles {
    let mut x = seed;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut triples = Vec::new();
    for r in 0..roles {
        for s in 0..skills {
            if next() % one_in == 0 {
                triples.push((r, s, next() % 2 == 0));
            }
        }
    }
    Profiles::new(roles as usize, skills as usize, triples)
}

#[test]
fn packed_and_wide_sums_agree() {
    let p = random(80, 50, 6, 0x9E37_79B9_7F4A_7C15);
    let mut acc = Accumulator::new(p.roles());
    for origin in 0..p.roles() as u32 {
        let row = p.row(origin);
        let mut packed = Vec::new();
        p.visit_packed(row.0..row.1, &mut acc, &mut |other, sums| {
            packed.push((other, sums))
        });
        let mut wide = Vec::new();
        p.visit_wide(row.0..row.1, &mut acc, &mut |other, sums| {
            wide.push((other, sums))
        });
        assert_eq!(packed, wide, "role {origin}");
        // Both leave the accumulator cleared for the next origin.
        assert!(acc.packed.iter().all(|&v| v == 0));
        assert!(acc.wide.iter().all(|v| v.shared == 0 && v.dot4 == 0));
    }
}

#[test]
fn packed_fields_do_not_carry_below_the_limit() {
    let most = u64::from(PACKED_LIMIT - 1);
    let sums = unpack(most * packed_delta(true, true));
    assert_eq!(sums.dot4, 4 * most);
    assert_eq!(u64::from(sums.shared), most);
    assert_eq!(u64::from(sums.essential_shared), most);
    let sums = unpack(most * packed_delta(false, false));
    assert_eq!((sums.dot4, sums.essential_shared), (most, 0));
}

#[test]
fn a_role_too_large_to_pack_is_compared_too() {
    let skills = PACKED_LIMIT;
    let big = (0..skills).map(|s| (0, s, s % 2 == 0));
    let p = Profiles::new(
        2,
        skills as usize,
        big.chain([(1, 0, true), (1, 1, true), (1, 2, false)]),
    );
    let down = p.neighbours(0, 5);
    assert_eq!(down.len(), 1);
    assert_eq!((down[0].other, down[0].shared), (1, 3));
    // Role 1's essential skills 0 and 1 are both among role 0's.
    assert!(close(down[0].coverage, 1.0));
    let up = p.neighbours(1, 5);
    assert_eq!(up[0].other, 0);
    assert!(close(up[0].cosine, down[0].cosine) && close(up[0].jaccard, down[0].jaccard));
    assert!(close(up[0].jaccard, 3.0 / skills as f32));
    assert_eq!(p.all_neighbours(5), [down, up]);
}

#[test]
fn the_top_k_of_all_pairs_is_the_head_of_each_ranking() {
    // Few skills, many roles: many equal scores, so ties by role number decide often.
    for (seed, one_in) in [(1, 3), (2, 5), (3, 9)] {
        let p = random(120, 12, one_in, seed);
        for k in [0, 1, 3, 10, 200] {
            let all = p.all_neighbours(k);
            let pairs = std::sync::atomic::AtomicUsize::new(0);
            let with = p.all_neighbours_with(k, |_, _| {
                pairs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            });
            assert_eq!(all, with, "seed {seed}, k {k}");
            let mut visited = 0;
            for (origin, near) in all.iter().enumerate() {
                let ranking = p.compare_all(origin as u32);
                assert_eq!(
                    near[..],
                    ranking[..k.min(ranking.len())],
                    "seed {seed}, k {k}"
                );
                // Itself, if it has any skill, and every role sharing one.
                visited += ranking.len() + usize::from(p.skills_of(origin as u32).count() > 0);
            }
            assert_eq!(pairs.into_inner(), visited);
        }
    }
}

#[test]
fn a_role_from_elsewhere_compares_as_if_it_were_here() {
    // Role 0 here: skills 0 (essential), 1 (optional), 2 (essential); role 1: skill 3.
    let profiles = Profiles::new(
        3,
        4,
        [
            (0, 0, true),
            (0, 1, false),
            (0, 2, true),
            (1, 3, true),
            (2, 0, true),
            (2, 1, false),
            (2, 2, true),
        ],
    );
    // Role 2 is role 0's twin: compared from outside as role 2, it meets role 0 the same way.
    let inside = profiles.compare_all(2);
    let outside =
        profiles.compare_external(&[(0, true), (1, false), (2, true)], &[true, false, true]);
    assert_eq!(
        outside.iter().find(|s| s.other == 0),
        inside.iter().find(|s| s.other == 0)
    );
    // One skill of three unmapped: it still counts in the origin's size and length.
    let partly = profiles.compare_external(&[(0, true)], &[true, false, true]);
    let to_zero = partly.iter().find(|s| s.other == 0).expect("role 0");
    assert_eq!(to_zero.shared, 1);
    // Shared 1 of a union of 3 + 3 - 1.
    assert!((to_zero.jaccard - 0.2).abs() < 1e-6);
    assert!((to_zero.coverage - 0.5).abs() < 1e-6);
    assert!(to_zero.cosine < 1.0);
    // Nothing mapped, numbers out of range: nothing to compare.
    assert!(profiles.compare_external(&[], &[true]).is_empty());
    assert!(profiles.compare_external(&[(99, true)], &[true]).is_empty());
}
