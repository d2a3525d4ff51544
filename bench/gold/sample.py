import json, random, zipfile, sys
from pathlib import Path
C = Path('/work/shared/corpus/saudinewsnet')
HELD = '2015-08-11'
def load(day):
    with zipfile.ZipFile(C / f'{day}.zip') as z:
        return json.loads(z.read(z.namelist()[0]))
rng = random.Random(13)
days = sorted(p.stem for p in C.glob('*.zip'))
tune = [d for d in days if d != HELD]
pool = []
for d in tune:
    for i, a in enumerate(load(d)):
        if len((a.get('content') or '').split()) >= 150:
            pool.append((d, i, a['url']))
held = [(HELD, i, a['url']) for i, a in enumerate(load(HELD)) if len((a.get('content') or '').split()) >= 150]
picked = rng.sample(pool, 40) + rng.sample(held, 10)
json.dump(picked, open('/tmp/tagswork/picked.json', 'w'), ensure_ascii=False)
print(len(pool), len(held))
