# ruff: noqa: E501  (SVG path data)
"""Draw the two top-down drawings: lumbar-stenosis.svg and mild-procedure.svg.

Run from anywhere: python3 scripts/illustrations/axial.py. Both share the
vertebra, the soft tissue and the skin of the back; the second shows the
ligament trimmed and the small tube.
"""

from pathlib import Path

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "illustrations"

BONE, BONE_LINE = "#e9dcc3", "#a88d5f"
INK = "#1f3b57"

SOFT = ('  <!-- inside the body: soft tissue round the spine, fading away from the skin of the back -->\n'
        '  <defs><linearGradient id="tissue" x1="0" y1="1" x2="0" y2="0">'
        '<stop offset="0" stop-color="#f6e8dc"/><stop offset="0.45" stop-color="#f6e8dc" stop-opacity="0.75"/>'
        '<stop offset="1" stop-color="#f6e8dc" stop-opacity="0"/></linearGradient></defs>\n'
        '  <path d="M0 110H400V320C310 336 250 344 200 344C150 344 90 336 0 320Z" fill="url(#tissue)"/>\n'
        '  <!-- the long back muscles on either side of the spinous process -->\n'
        '  <path d="M224 250C252 230 300 226 326 248C344 266 330 300 296 308C262 314 234 304 224 284Z'
        'M176 250C148 230 100 226 74 248C56 266 70 300 104 308C138 314 166 304 176 284Z" '
        'fill="#f2e0d6" stroke="#e4c8ba" stroke-width="1.2"/>\n'
        '  <path d="M0 320C90 336 150 344 200 344C250 344 310 336 400 320V328C310 344 250 352 200 352'
        'C150 352 90 344 0 328Z" fill="#efd2bd"/>\n'
        '  <path d="M0 320C90 336 150 344 200 344C250 344 310 336 400 320" fill="none" '
        'stroke="#cfa587" stroke-width="2.4"/>\n')

# The disc lies under the vertebral body: drawn as a layer behind it, peeking out in front.
DISC = ('  <!-- intervertebral disc: the soft cushion under the vertebral body, peeking out in front -->\n'
        '  <path transform="translate(0 -10)" d="M200 20C254 20 292 38 295 78C298 114 276 138 248 140'
        'C230 141 216 134 200 134C184 134 170 141 152 140C124 138 102 114 105 78C108 38 146 20 200 20Z" '
        'fill="#c9d5e0" stroke="#8ea3b7" stroke-width="1.5"/>\n'
        '  <path transform="translate(0 -10)" d="M200 30C244 30 276 44 282 70" fill="none" '
        'stroke="#aebfcf" stroke-width="1.2"/>\n')

ARCH = ('  <!-- posterior arch: pedicles, transverse processes, articular processes, laminae, spinous process -->\n'
        '  <path d="M238 126L262 126C266 136 268 146 272 152C292 150 318 146 338 147C350 148 354 160 346 167C330 176 306 176 288 176C294 184 296 194 290 202C282 210 270 212 262 214C248 222 232 230 222 240C216 250 214 262 213 272C212 282 208 288 200 288C192 288 188 282 187 272C186 262 184 250 178 240C168 230 152 222 138 214C130 212 118 210 110 202C104 194 106 184 112 176C94 176 70 176 54 167C46 160 50 148 62 147C82 146 108 150 128 152C132 146 134 136 138 126Z" fill="#e9dcc3" stroke="#a88d5f" stroke-width="2" stroke-linejoin="round"/>\n'
        '  <path d="M284 180C290 188 290 198 284 204M116 180C110 188 110 198 116 204" fill="none" stroke="#a88d5f" stroke-width="1.2" opacity=".7"/>\n'
        '  <!-- spinal canal -->\n'
        '  <path d="M158 120L242 120C244 134 246 146 250 158C248 176 226 200 200 216C174 200 152 176 150 158C154 146 156 134 158 120Z" fill="#eef3f7" stroke="#a88d5f" stroke-width="1.5"/>\n'
        '  <!-- vertebral body -->\n'
        '  <path d="M200 28C250 28 285 45 288 80C291 112 270 136 245 138C228 139 215 132 200 132C185 132 172 139 155 138C130 136 109 112 112 80C115 45 150 28 200 28Z" fill="#e9dcc3" stroke="#a88d5f" stroke-width="2.2"/>\n'
        '  <path d="M200 40C244 40 274 54 276 82C278 108 262 124 243 126C228 127 214 121 200 121C186 121 172 127 157 126C138 124 122 108 124 82C126 54 156 40 200 40Z" fill="none" stroke="#d7c6a4" stroke-width="1.2"/>\n')

THICK_LIGAMENT = ('  <!-- thickened ligamentum flavum -->\n'
                  '  <path d="M250 158C248 176 226 200 200 216C174 200 152 176 150 158C154 160 160 162 164 162C172 176 186 188 200 194C214 188 228 176 236 162C240 162 246 160 250 158Z" fill="#d9775a" stroke="#b25a40" stroke-width="1.3" stroke-linejoin="round"/>\n'
                  '  <!-- normal canal boundary (for comparison) -->\n'
                  '  <path d="M245 160C241 178 222 198 200 210C178 198 159 178 155 160" fill="none" stroke="#1f3b57" stroke-width="1.4" stroke-dasharray="4 3" opacity=".6"/>\n')

SQUEEZED_SAC = ('  <!-- dural sac with nerve roots (cauda equina), squeezed -->\n'
                '  <path d="M166 138C180 134 220 134 234 138C240 146 236 158 230 164C222 176 210 184 200 186C190 184 178 176 170 164C164 158 160 146 166 138Z" fill="#fbf1cf" stroke="#cfa93e" stroke-width="1.3"/>\n'
                '  <g fill="#f3d36b" stroke="#bf9a30" stroke-width="1">\n'
                '    <circle cx="179" cy="147" r="4.6"/><circle cx="190" cy="143" r="5"/><circle cx="201" cy="145" r="4.6"/><circle cx="212" cy="142.5" r="4.8"/><circle cx="222" cy="147" r="4.6"/>\n'
                '    <circle cx="185" cy="156" r="5"/><circle cx="196" cy="154.5" r="4.6"/><circle cx="207" cy="154" r="5"/><circle cx="217.5" cy="157" r="4.6"/>\n'
                '    <circle cx="192" cy="165" r="4.8"/><circle cx="203" cy="164.5" r="4.6"/><circle cx="212" cy="167" r="4.2"/><circle cx="199" cy="175" r="4.4"/>\n'
                '  </g>\n')


def markers(items):
    """items: (number, marker centre, point)."""
    lines = [f'  <g stroke="{INK}" stroke-width="1.2" fill="none">']
    lines += [f'    <path d="M{m[0]} {m[1]}L{p[0]} {p[1]}"/>' for _, m, p in items]
    lines += ['  </g>', f'  <g fill="{INK}" stroke="#fff" stroke-width="1">']
    lines += [f'    <circle cx="{p[0]}" cy="{p[1]}" r="2.6"/>' for _, _, p in items]
    lines += ['  </g>', f'  <g fill="{INK}">']
    lines += [f'    <circle cx="{m[0]}" cy="{m[1]}" r="12"/>' for _, m, _ in items]
    lines += ['  </g>', '  <g fill="#fff" font-family="Noto Sans" font-weight="bold" '
              'font-size="14" text-anchor="middle">']
    lines += [f'    <text x="{m[0]}" y="{m[1] + 5}">{n}</text>' for n, m, _ in items]
    lines += ['  </g>']
    return "\n".join(lines) + "\n"


stenosis = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 350" role="img" aria-labelledby="t d">\n'
            '  <title id="t">Lumbar spinal stenosis, vertebra seen from above</title>\n'
            '  <desc id="d">Axial view of a lumbar vertebra, the front of the body at the top and the '
            'back, with its muscles and skin, at the bottom. The spinal canal behind the vertebral '
            'body is narrowed by a thickened ligament (ligamentum flavum) along its back wall, which '
            'presses on the bundle of nerves; the disc lies under the vertebral body. Numbered '
            'markers: 1 vertebral body, 2 spinal canal and nerves, 3 thickened ligament, '
            '4 intervertebral disc.</desc>\n'
            + SOFT + DISC + ARCH + THICK_LIGAMENT + SQUEEZED_SAC
            + markers([(1, (30, 66), (150, 84)), (2, (30, 136), (184, 156)),
                       (3, (370, 226), (234, 174)), (4, (370, 40), (292, 40))])
            + '</svg>\n')

# The procedure: the ligament trimmed (its former edge dashed), the nerves round again,
# a very small tube through the skin to the ligament, its tool holding a small piece.
TRIMMED = ('  <!-- the ligament after trimming: thinner than in lumbar-stenosis.svg -->\n'
           '  <path d="M250 158C248 176 226 200 200 216C174 200 152 176 150 158C152 160 155 161 158 161C166 180 184 198 200 204C216 198 234 180 242 161C245 161 248 160 250 158Z" fill="#d9775a" stroke="#b25a40" stroke-width="1.3" stroke-linejoin="round"/>\n'
           )
ROUND_SAC = ('  <!-- dural sac with nerve roots, with room again -->\n'
             '  <path d="M164 136C180 130 220 130 236 136C244 148 242 166 234 178C224 190 212 196 200 197C188 196 176 190 166 178C158 166 156 148 164 136Z" fill="#fbf1cf" stroke="#cfa93e" stroke-width="1.3"/>\n'
             '  <g fill="#f3d36b" stroke="#bf9a30" stroke-width="1">\n'
             '    <circle cx="178" cy="146" r="4.6"/><circle cx="190" cy="142" r="5"/><circle cx="202" cy="143" r="4.6"/><circle cx="213" cy="142" r="4.8"/><circle cx="224" cy="147" r="4.6"/>\n'
             '    <circle cx="182" cy="158" r="5"/><circle cx="194" cy="156" r="4.6"/><circle cx="206" cy="156" r="5"/><circle cx="218" cy="159" r="4.6"/>\n'
             '    <circle cx="188" cy="170" r="4.8"/><circle cx="200" cy="169" r="4.6"/><circle cx="211" cy="171" r="4.4"/><circle cx="200" cy="182" r="4.4"/>\n'
             '  </g>\n')
# The tube: from the skin, beside the spinous process, to the ligament on the right.
# From the skin at (300, 346) to the ligament at (236, 188): 22 degrees from upright.
TUBE = ('  <!-- a very small tube through the skin, beside the spinous process, to the ligament -->\n'
        '  <g transform="translate(300 346) rotate(-22)">\n'
        '    <rect x="-6.5" y="-158" width="13" height="182" rx="3" fill="#9aa8b6" stroke="#5f6f80" stroke-width="1.4"/>\n'
        '    <rect x="-3.5" y="-152" width="3" height="172" rx="1.5" fill="#d7dee6"/>\n'
        '    <!-- the small tool at its end, holding a piece of the ligament -->\n'
        '    <path d="M-4.5 -158L-7 -169L-1 -165Z M4.5 -158L7 -169L1 -165Z" fill="#5f6f80"/>\n'
        '    <ellipse cx="0" cy="-167" rx="4.5" ry="3.4" fill="#d9775a" stroke="#b25a40" stroke-width="1"/>\n'
        '  </g>\n')

procedure = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 350" role="img" aria-labelledby="t d">\n'
             '  <title id="t">The mild procedure, seen from above</title>\n'
             '  <desc id="d">The same view of a lumbar vertebra from above, the back of the body at '
             'the bottom. A very small tube passes through the skin of the lower back, beside the '
             'spinous process, to the thickened ligament at the back of the spinal canal. A small '
             'tool at its end takes out a piece of the ligament; the ligament is thinner than '
             'before and the nerves have more room. Numbered markers: '
             '1 the skin of the back, 2 the small tube, 3 the thick ligament, trimmed, 4 the nerves '
             'with more room.</desc>\n'
             + SOFT + DISC + ARCH + TRIMMED + ROUND_SAC + TUBE
             + markers([(1, (370, 300), (352, 333)), (2, (370, 246), (277.5, 290.4)),
                        (3, (30, 226), (170, 184)), (4, (30, 136), (178, 156))])
             + '</svg>\n')

open(ASSETS / 'lumbar-stenosis.svg', 'w').write(stenosis)
open(ASSETS / 'mild-procedure.svg', 'w').write(procedure)
