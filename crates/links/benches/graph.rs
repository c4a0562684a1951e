//! How long the link graph of 10,000 people and identifiers takes to
//! build: reading them out of the cases (keys folded) and matching them
//! into the graph (docs/benchmarks.md).

use caravan_links::sample::generate;
use caravan_links::{CaseInfo, LinkOptions, build, extract};
use criterion::{Criterion, criterion_group, criterion_main};

fn graph(c: &mut Criterion) {
    let mut group = c.benchmark_group("links");
    group.sample_size(20);
    for (cases, entities) in [(200, 10_000), (1_000, 10_000)] {
        let data = generate(cases, entities, 7);
        let infos: Vec<CaseInfo> = data
            .iter()
            .map(|(id, c)| CaseInfo {
                id: id.clone(),
                reference: c.header.reference.clone(),
                title: c.header.title.clone(),
            })
            .collect();
        group.bench_function(format!("extract_{entities}_in_{cases}_cases"), |b| {
            b.iter(|| {
                data.iter()
                    .map(|(id, c)| extract(id, c).len())
                    .sum::<usize>()
            });
        });
        group.bench_function(
            format!("extract_and_build_{entities}_in_{cases}_cases"),
            |b| {
                b.iter(|| {
                    let found = data.iter().flat_map(|(id, c)| extract(id, c)).collect();
                    build(&infos, found, &LinkOptions::default()).nodes.len()
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, graph);
criterion_main!(benches);
