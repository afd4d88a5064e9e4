import { runSearchBench } from '/work/main/bench/search/search-section.ts';
const r = await runSearchBench((l) => console.error(l), Number(process.argv[2] ?? 2000));
console.log(r.text);
