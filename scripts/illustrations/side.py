# ruff: noqa: E501  (SVG path data)
"""Draw assets/illustrations/lumbar-spine-side.svg: the lower back seen from the side.

Run from anywhere: python3 scripts/illustrations/side.py. The SVG is the
file the brochures use; this script is how it was drawn (vertebrae placed
along the lumbar curve, shapes in each vertebra's own frame).
"""

import math
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "illustrations"

BONE, BONE_LINE = "#e9dcc3", "#a88d5f"
DISC, DISC_LINE = "#c9d5e0", "#8ea3b7"
CANAL = "#eef3f7"
NERVE, NERVE_LINE = "#f3d36b", "#bf9a30"
LIG, LIG_LINE = "#d9775a", "#b25a40"
LIG_NORMAL, LIG_NORMAL_LINE = "#ecd2b4", "#c4a27a"
INK = "#1f3b57"

# Vertebral body centres L1..L5 and their tilt (degrees, SVG clockwise), following the
# lumbar curve: the middle of the lower back lies furthest forward (to the left).
CENTRES = [(178, 44), (168, 98), (162, 152), (165, 206), (177, 260)]
ANGLES = [9.0, 7.0, 1.5, -7.0, -14.0]
THICK = 3  # the ligament between L4 (index 3) and L5 is thickened


def frame(i):
    cx, cy = CENTRES[i]
    a = math.radians(ANGLES[i])
    def to_global(x, y):
        return (cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a))
    return to_global


def path(points, close=True):
    first, *rest = points
    d = f"M{first[0]:.1f} {first[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest)
    return d + ("Z" if close else "")


def smooth(points, close=True):
    """A closed Catmull-Rom curve through points, as cubic Beziers."""
    n = len(points)
    d = f"M{points[0][0]:.1f} {points[0][1]:.1f}"
    rng = range(n) if close else range(n - 1)
    for i in rng:
        p0 = points[(i - 1) % n] if close or i > 0 else points[i]
        p1, p2 = points[i], points[(i + 1) % n]
        p3 = points[(i + 2) % n] if close or i + 2 < n else p2
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        d += f"C{c1[0]:.1f} {c1[1]:.1f} {c2[0]:.1f} {c2[1]:.1f} {p2[0]:.1f} {p2[1]:.1f}"
    return d + ("Z" if close else "")


out = []
w = out.append
w('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 330" role="img" aria-labelledby="t d">')
w('  <title id="t">The lower back seen from the side</title>')
w('  <desc id="d">Side view of the lumbar spine, the front of the body on the left and the '
  'back on the right: five vertebrae with discs between them, the spinal canal with the '
  'nerves behind them, a thickened ligament at the back of the canal between the fourth and '
  'fifth vertebrae, and a dashed line at that level showing where the view from above is '
  'taken. Numbered markers: 1 the lumbar spine, 2 a disc, 3 the nerves in the spinal canal, '
  '4 the thick ligament, 5 the dashed line.</desc>')

# Soft tissue and the skin of the back: the back curves in at the waist, out at the buttock.
skin = [(318, 0), (306, 60), (296, 130), (300, 200), (318, 262), (346, 330)]
w('  <defs><linearGradient id="tissue" x1="1" y1="0" x2="0" y2="0">'
  '<stop offset="0" stop-color="#f6e8dc"/><stop offset="0.45" stop-color="#f6e8dc" stop-opacity="0.7"/>'
  '<stop offset="1" stop-color="#f6e8dc" stop-opacity="0"/></linearGradient></defs>')
w(f'  <path d="{smooth(skin, close=False)}L110 330L110 0Z" fill="url(#tissue)"/>')
w(f'  <path d="{smooth(skin, close=False)}" fill="none" stroke="#d9b79c" stroke-width="2.2"/>')

# Sacrum: the top of the bone below the lumbar spine.
s = frame(4)
sac = [s(-36, 36), s(40, 36), s(60, 62), s(48, 84), s(0, 86), s(-28, 70)]
w(f'  <path d="{path(sac)}" fill="{BONE}" stroke="{BONE_LINE}" stroke-width="1.8" stroke-linejoin="round"/>')

# Spinal canal (behind the bodies) and the nerves in it, as one channel down the spine.
upper = frame(0)
front, back = [upper(40, -50)], [upper(64, -50)]
nerve_front, nerve_back = [upper(45, -50)], [upper(58, -50)]
for i in range(5):
    t = frame(i)
    for y in (-22, 22):
        front.append(t(38, y))
        back.append(t(66, y))
        nerve_front.append(t(43, y))
        nerve_back.append(t(60, y))
t = frame(4)
front.append(t(40, 44))
back.append(t(64, 40))
nerve_front.append(t(44, 46))
nerve_back.append(t(58, 42))
w(f'  <path d="{path(front + back[::-1])}" fill="{CANAL}" stroke="none"/>')

# Posterior arches: lamina and spinous process of each vertebra, pointing back and down.
for i in range(5):
    t = frame(i)
    arch = [t(64, -21), t(80, -22), t(90, -12), t(118, 2), t(132, 14), t(126, 22),
            t(106, 20), t(86, 16), t(78, 20), t(64, 18)]
    w(f'  <path d="{smooth(arch)}" fill="{BONE}" stroke="{BONE_LINE}" stroke-width="1.8"/>')

# Nerves: the bundle runs down the canal, squeezed where the ligament is thick.
a, b = frame(3), frame(4)
# Replace the back edge at the L4-L5 gap with a dent.
top, bottom = a(64, 16), b(64, -20)
mid = ((top[0] + bottom[0]) / 2, (top[1] + bottom[1]) / 2)
nerve_back_dented = (nerve_back[:8] + [a(59, 10), (mid[0] - 13, mid[1]), b(59, -14)]
                     + nerve_back[10:])
w(f'  <path d="{smooth(nerve_front + nerve_back_dented[::-1])}" fill="{NERVE}" stroke="{NERVE_LINE}" stroke-width="1.2"/>')
# A few nerve fibres inside the bundle.
for offset in (47, 52, 56):
    line = [upper(offset, -50)] + [frame(i)(offset - (3 if i == 4 and offset > 50 else 0), y)
                                 for i in range(5) for y in (-20, 20)]
    w(f'  <path d="{smooth(line, close=False)}" fill="none" stroke="{NERVE_LINE}" stroke-width="0.7" opacity=".55"/>')
# Ligaments between the arches along the back of the canal; the one at L4-L5 is thick.
for i in range(4):
    a, b = frame(i), frame(i + 1)
    if i == THICK:
        # A thick lens between the two laminae, bulging forward into the canal.
        top, bottom = a(64, 16), b(64, -20)
        back_top, back_bottom = a(78, 20), b(78, -22)
        mid = ((top[0] + bottom[0]) / 2, (top[1] + bottom[1]) / 2)
        bulge = (mid[0] - 15, mid[1])
        lig = [top, back_top, back_bottom, bottom,
               (bulge[0] + 4, bulge[1] + 9), bulge, (bulge[0] + 4, bulge[1] - 9)]
        w(f'  <path d="{smooth(lig)}" fill="{LIG}" stroke="{LIG_LINE}" stroke-width="1.4" stroke-linejoin="round"/>')
    else:
        lig = [a(62, 17), a(68, 19), b(68, -21), b(62, -21)]
        w(f'  <path d="{path(lig)}" fill="{LIG_NORMAL}" stroke="{LIG_NORMAL_LINE}" stroke-width="1"/>')

# Discs between the vertebral bodies.
for i in range(4):
    (x1, y1), (x2, y2) = CENTRES[i], CENTRES[i + 1]
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    ang = (ANGLES[i] + ANGLES[i + 1]) / 2
    w(f'  <g transform="translate({cx:.1f} {cy:.1f}) rotate({ang:.1f})">'
      f'<path d="M-35 -6C-20 -8 20 -8 37 -6C40 -3 40 3 37 6C20 8 -20 8 -35 6C-39 3 -39 -3 -35 -6Z" '
      f'fill="{DISC}" stroke="{DISC_LINE}" stroke-width="1.3"/></g>')
# L5-sacrum disc
t = frame(4)
d5 = [t(-36, 24), t(38, 24), t(40, 34), t(-34, 34)]
w(f'  <path d="{smooth(d5)}" fill="{DISC}" stroke="{DISC_LINE}" stroke-width="1.3"/>')

# Vertebral bodies, waisted at the middle.
for i in range(5):
    cx, cy = CENTRES[i]
    w(f'  <g transform="translate({cx} {cy}) rotate({ANGLES[i]})">'
      f'<path d="M-34 -20H35C38 -20 39 -18 38 -15C36 -6 36 6 38 15C39 18 38 20 35 20H-34'
      f'C-37 20 -38 18 -37 15C-34 6 -34 -6 -37 -15C-38 -18 -37 -20 -34 -20Z" '
      f'fill="{BONE}" stroke="{BONE_LINE}" stroke-width="2"/>'
      f'<path d="M-28 -13H29M-28 13H29" stroke="#d7c6a4" stroke-width="1.1" fill="none"/></g>')

# The slice of the other drawing: a dashed line across the spine at the thick ligament.
a, b = frame(3), frame(4)
level = mid[1]  # through the thick ligament
w(f'  <path d="M56 {level:.1f}H350" fill="none" stroke="{INK}" stroke-width="1.8" stroke-dasharray="7 4"/>')

# Markers with their leader lines.
markers = [  # number, marker centre, point
    (1, (30, 80), frame(1)(-30, -2)),
    (2, (30, 136), ((CENTRES[1][0] + CENTRES[2][0]) / 2 - 30, (CENTRES[1][1] + CENTRES[2][1]) / 2)),
    (3, (370, 120), frame(2)(51, 4)),
    (4, (370, 190), (mid[0] - 2, mid[1])),
    (5, (30, level), (56, level)),
]
w(f'  <g stroke="{INK}" stroke-width="1.2" fill="none">')
for n, (mx, my), (px, py) in markers:
    if n != 5:
        w(f'    <path d="M{mx:.1f} {my:.1f}L{px:.1f} {py:.1f}"/>')
w('  </g>')
w(f'  <g fill="{INK}" stroke="#fff" stroke-width="1">')
for n, _, (px, py) in markers:
    if n != 5:
        w(f'    <circle cx="{px:.1f}" cy="{py:.1f}" r="2.6"/>')
w('  </g>')
w(f'  <g fill="{INK}">')
for _, (mx, my), _ in markers:
    w(f'    <circle cx="{mx:.1f}" cy="{my:.1f}" r="12"/>')
w('  </g>')
w('  <g fill="#fff" font-family="Noto Sans" font-weight="bold" font-size="14" text-anchor="middle">')
for n, (mx, my), _ in markers:
    w(f'    <text x="{mx:.1f}" y="{my + 5:.1f}">{n}</text>')
w('  </g>')
w('</svg>')
open(ASSETS / 'lumbar-spine-side.svg', 'w').write("\n".join(out) + "\n")
