"""Lines that can be traced: each link routed around the boxes it does not join.

Every box is placed before any line is drawn; :func:`route` then draws each link that joins
two elements (a brake to its stage, a facilitator to what it answers, the backstage's links)
as a line of horizontal and vertical runs on a grid of :data:`PITCH` points:

- a line never enters a box it does not join, nor comes nearer than :data:`MARGIN` to one;
- two lines never run along the same stretch: a grid cell a line runs through horizontally
  is closed to other horizontal runs (and so vertically), and a cell where a line turns, or
  ends, is closed to every other line. Lines may cross, at right angles;
- the lines laid before (the cycle's arcs, the emotion curves, the legend's samples) are
  crossed, never followed;
- a line leaves its tail and reaches its head at right angles to a side of the box, each at
  a cell of its own, so that lines meeting at a box arrive side by side.

A line with a single turn between the nearest ends is tried first; where none keeps these
rules, an A* search over (cell, direction), a turn costing more than a step and a crossing a
little more, finds one. The shortest links are routed first; everything is in document order,
so the drawing is deterministic. A link for which no line is found (no room left) keeps its
straight line.

The search is the cost of a large drawing, so it is written for speed (see :func:`_cheapest`):
integer costs in half steps, one integer per queue entry, one lookup for a free cell. It takes
the same states in the same order as the plain A* the rules describe, so the lines are the same.

The line is written into the link as the edge's ``pos`` (its points as a B-spline, and where
its arrowhead ends): the ``nop2`` engine draws an edge that has one along it, as given, so
``dot -Tsvg`` draws the DOT source as usager laid it out, and the graph keeps one edge per link.
"""

from __future__ import annotations

import heapq
import itertools
import math

from usager.exporters._drawing.scene import STYLE, Box, Group

__all__ = ["MARGIN", "PITCH", "ROUTED", "route"]

#: The relations whose links are routed; the others are drawn as they were laid out.
ROUTED = frozenset({"holds", "addresses", "eases", "uses", "performs", "provides", "dangling", "answers"})
#: The grid's step, in points: the distance between two lines running side by side.
PITCH = 7.0
#: The room kept clear round a box, in points.
MARGIN = 3.0

_Ends = dict[int, tuple[int, float, tuple[int, ...], tuple[float, float]]]
_H, _V, _X = 1, 2, 4  # a cell's flags: run through horizontally, vertically, closed
_B, _E = 8, 16  # and: no line may enter it (a box's, the grid's edge); an end of the line searched for
_BEND, _CROSS = 3.0, 0.5  # the cost of a turn and of a crossing, in steps
_GREED = 3.0  # the weight of the distance still to go: above 1, a line hardly longer is found much sooner
_TRIES, _NEAREST = 24, 8  # pairs of ends tried for a line with one turn, before the search; from the nearest ends
_BUDGET = 200_000  # expansions per line before giving up
_RINGS, _RING_COST = 3, 4.0  # how far from a box (in cells) a line may start or end, and what each ring costs
_ARROW = 7.0  # the length of an arrowhead (arrowsize 0.7), in points
#: For shapes whose sides are not straight all along, the share of each side (top, bottom, left
#: and right) that is.
_SIDES = {
    "octagon": (0.5, 0.5, 0.4), "house": (0.15, 1.0, 0.4), "cylinder": (0.6, 0.6, 0.6), "note": (0.8, 0.8, 0.8),
}  # fmt: skip


class _Grid:
    """The cells of the drawing: which box owns each, and which lines use it."""

    def __init__(self, group: Group) -> None:
        left, bottom, right, top = group.bounds()
        pad = PITCH * 4
        self.x0, self.y0 = left - pad, bottom - pad
        self.nx = math.ceil((right - left + 2 * pad) / PITCH) + 1
        self.ny = math.ceil((top - bottom + 2 * pad) / PITCH) + 1
        nx, ny = self.nx, self.ny
        size = nx * ny
        owner = self.owner = [-1] * size  # -1: free; -2: near two boxes; else the box's number
        blocked = bytearray(size)
        self.boxes = [b for b in group.boxes if b.kind != "waypoint"]
        self.number = {b.key: n for n, b in enumerate(self.boxes)}
        self.extent: list[tuple[int, int, int, int]] = []
        self._around: dict[int, list[tuple[int, int, float, tuple[int, ...], int, tuple[float, float]]]] = {}
        for n, box in enumerate(self.boxes):
            i0, j0, i1, j1 = self.cover(box)
            self.extent.append((i0, j0, i1, j1))
            width = i1 - i0 + 1
            mine, closed = [n] * width, b"\x01" * width
            for j in range(j0, j1 + 1):
                row = j * nx
                first, last = row + i0, row + i1 + 1
                if 0 <= i0 <= i1 < nx and 0 <= j < ny and owner[first:last].count(-1) == width:
                    owner[first:last] = mine  # a row of free cells: the box's, at once
                    blocked[first:last] = closed
                    continue
                for i in range(i0, i1 + 1):
                    was = owner[row + i]
                    owner[row + i] = n if was in (-1, n) else -2
                    blocked[row + i] = 1
        for i in range(nx):  # the edge of the grid: no line goes there, nor past it
            owner[i] = owner[size - 1 - i] = -2
            blocked[i] = blocked[size - 1 - i] = 1
        for j in range(ny):
            owner[j * nx] = owner[j * nx + nx - 1] = -2
            blocked[j * nx] = blocked[j * nx + nx - 1] = 1
        #: Cells no line may enter: a box's, or the grid's edge (those whose owner is not -1).
        self.blocked = bytes(blocked)
        self.flags = bytearray(self.blocked.translate(bytes([0, _B]) + bytes(254)))

    def cover(self, box: Box) -> tuple[int, int, int, int]:
        """The cells whose centre lies within ``box`` grown by the margin (they may be an empty range)."""
        left, bottom, right, top = box.bounds()
        i0 = math.ceil((left - MARGIN - self.x0) / PITCH)
        i1 = math.floor((right + MARGIN - self.x0) / PITCH)
        j0 = math.ceil((bottom - MARGIN - self.y0) / PITCH)
        j1 = math.floor((top + MARGIN - self.y0) / PITCH)
        if i0 > i1:  # a box thinner than a cell still owns the cells its centre is nearest
            i0 = i1 = round((box.x - self.x0) / PITCH)
        if j0 > j1:
            j0 = j1 = round((box.y - self.y0) / PITCH)
        return i0, j0, i1, j1

    def centre(self, cell: int) -> tuple[float, float]:
        """The centre of ``cell``, in points."""
        j, i = divmod(cell, self.nx)
        return self.x0 + i * PITCH, self.y0 + j * PITCH

    def lay(self, a: tuple[float, float], b: tuple[float, float], ends: tuple[int, int]) -> None:
        """Mark the cells a straight line laid before runs through (outside its own ends' boxes)."""
        (ax, ay), (bx, by) = a, b
        flag = _H if abs(bx - ax) >= abs(by - ay) else _V
        reach = PITCH / 2 + 1.0
        i0 = max(0, math.floor((min(ax, bx) - reach - self.x0) / PITCH))
        i1 = min(self.nx - 1, math.ceil((max(ax, bx) + reach - self.x0) / PITCH))
        j0 = max(0, math.floor((min(ay, by) - reach - self.y0) / PITCH))
        j1 = min(self.ny - 1, math.ceil((max(ay, by) + reach - self.y0) / PITCH))
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        for j in range(j0, j1 + 1):
            for i in range(i0, i1 + 1):
                cell = j * self.nx + i
                if self.owner[cell] in ends:
                    continue
                px, py = self.x0 + i * PITCH - ax, self.y0 + j * PITCH - ay
                if length:
                    t = max(0.0, min(1.0, (px * dx + py * dy) / (length * length)))
                    distance = math.hypot(px - t * dx, py - t * dy)
                else:
                    distance = math.hypot(px, py)
                if distance <= reach:
                    self.flags[cell] |= flag

    def terminals(self, n: int) -> _Ends:
        """Where a line may leave or reach box ``n``: free cells beside its sides, :data:`_RINGS` deep.

        Each with the direction leading away, the cost of starting there (farther rings cost
        more), the cells its stub crosses (the straight piece from the box's side, at right
        angles to it) and the point where the stub meets the side.
        """
        if n not in self._around:
            self._around[n] = self._candidates(n)
        flags = self.flags
        out: _Ends = {}
        for cell, direction, cost, stub, across, border in self._around[n]:
            if flags[cell]:
                continue
            for c in stub:
                if flags[c] & across:
                    break
            else:
                out[cell] = (direction, cost, stub, border)
        return out

    def _candidates(self, n: int) -> list[tuple[int, int, float, tuple[int, ...], int, tuple[float, float]]]:
        """Each cell beside box ``n`` a line may start at: cell, direction, cost, stub, flags it may not cross, border.

        A stub may cross a line at right angles (a vertical stub, a horizontal line), never run
        along one nor pass a cell where a line turns. Only the straight middle of a side that is
        not straight all along (an octagon's, a house's roof) is used.
        """
        i0, j0, i1, j1 = self.extent[n]
        box = self.boxes[n]
        left, bottom, right, top = box.bounds()
        high, low, sides = _SIDES.get(STYLE[box.kind].split(",")[0].removeprefix("shape="), (1.0, 1.0, 1.0))
        nx, ny, x0, y0, owner = self.nx, self.ny, self.x0, self.y0, self.owner
        out = []
        for r in range(1, _RINGS + 1):
            cost = _RING_COST * (r - 1)
            for direction in (2, 3, 0, 1):  # up, down, right, left
                if direction >= 2:
                    j = j1 + r if direction == 2 else j0 - r
                    if not 0 <= j < ny:
                        continue
                    reach = box.w / 2 * (high if direction == 2 else low) - MARGIN
                    step = -nx if direction == 2 else nx
                    edge, y = top if direction == 2 else bottom, y0 + j * PITCH
                    for i in range(max(i0, 0), min(i1, nx - 1) + 1):
                        x = x0 + i * PITCH
                        if abs(x - box.x) > reach:
                            continue
                        cell = j * nx + i
                        stub = tuple(range(cell + step, cell + step * r, step))
                        if owner[cell] == -1 and all(owner[c] == -1 for c in stub):
                            out.append((cell, direction, cost, stub, _X | _V, (x, edge)))
                else:
                    i = i1 + r if direction == 0 else i0 - r
                    if not 0 <= i < nx:
                        continue
                    reach = box.h / 2 * sides - MARGIN
                    step = -1 if direction == 0 else 1
                    edge, x = right if direction == 0 else left, x0 + i * PITCH
                    for j in range(max(j0, 0), min(j1, ny - 1) + 1):
                        y = y0 + j * PITCH
                        if abs(y - box.y) > reach:
                            continue
                        cell = j * nx + i
                        stub = tuple(range(cell + step, cell + step * r, step))
                        if owner[cell] == -1 and all(owner[c] == -1 for c in stub):
                            out.append((cell, direction, cost, stub, _X | _H, (edge, y)))
        return out


def _search(grid: _Grid, sources: _Ends, targets: _Ends, goal: tuple[int, int, int, int]) -> list[int]:
    """The cells of the cheapest line from one of ``sources`` to one of ``targets`` (empty: none).

    States are ``cell * 4 + direction``; the distance still to go weighs a little more than the
    way come (:data:`_GREED`), so that the search runs straight at the goal.
    """
    flags = grid.flags
    ends = {cell: end[1] for cell, end in targets.items()}
    kept = {cell: flags[cell] for cell in ends}
    for cell in ends:  # the ends, marked for the time of the search: one lookup tells all of a cell
        flags[cell] |= _E
    try:
        return _cheapest(grid, sources, ends, goal)
    finally:
        for cell, flag in kept.items():
            flags[cell] = flag


def _cheapest(grid: _Grid, sources: _Ends, ends: dict[int, float], goal: tuple[int, int, int, int]) -> list[int]:
    """The search itself, the cells of ``ends`` marked :data:`_E` (see :func:`_search`).

    Every cost is a whole number of half steps, so the search counts in half steps, with
    integers, and an entry of its queue is a single integer: the estimate, the way come and the
    state side by side in its bits, so that integers compare as the triples would, only faster.
    The distance still to go is read from two tables (by column, by row) made once per search,
    the moves allowed from a state are listed once for each direction, and a free cell (no flag)
    costs a single lookup. The entries are all distinct, so the order in which they are pushed
    does not change the order in which they come out: the line found is the one the triples
    (estimate, way come, state) in floating point find.
    """
    nx, flags = grid.nx, grid.flags
    gi0, gj0, gi1, gj1 = goal
    greed = _halves(_GREED)
    across = [greed * d for d in _spans(gi0, gi1, nx)]
    down = [greed * d for d in _spans(gj0, gj1, grid.ny)]
    arrive = {cell: _halves(cost) for cell, cost in ends.items()}
    starts = {cell: _halves(end[1]) for cell, end in sources.items()}
    one, bend, cross = _halves(1.0), _halves(1.0 + _BEND), _halves(_CROSS)
    # the bits of an entry: the state's, then the way come's (no search goes farther than a
    # step as dear as can be at each expansion), then the estimate's
    shift = (4 * nx * grid.ny).bit_length()
    farthest = max(starts.values(), default=0) + _BUDGET * (bend + max(cross, *arrive.values(), 0))
    wide = shift + farthest.bit_length()
    states, costs, never = (1 << shift) - 1, (1 << (wide - shift)) - 1, 1 << (wide - shift)
    best: dict[int, int] = {}
    came: dict[int, int] = {}
    heap: list[int] = []
    for cell in sorted(sources):
        j, i = divmod(cell, nx)
        state = cell * 4 + sources[cell][0]
        cost = starts[cell]
        best[state] = cost
        came[state] = -1
        heap.append((cost + across[i] + down[j]) << wide | cost << shift | state)
    heapq.heapify(heap)
    budget = _BUDGET
    pop, push, get = heapq.heappop, heapq.heappush, best.get
    lines = _H | _V | _X
    # each move: its direction, the offset to the next cell, the flags it may not run along, the
    # change of column and row, and its cost: from an end, any move; on a line, straight on only;
    # elsewhere, on or a turn (never back)
    moves = [
        (turn, offset, mask, di, dj, one)
        for turn, offset, mask, di, dj in (
            (0, 1, _H | _X, 1, 0), (1, -1, _H | _X, -1, 0), (2, nx, _V | _X, 0, 1), (3, -nx, _V | _X, 0, -1),
        )
    ]  # fmt: skip
    onward = [[move] for move in moves]
    turning = [
        [(*move[:5], one if move[0] == direction else bend) for move in moves if move[0] != direction ^ 1]
        for direction in range(4)
    ]
    while heap and budget:
        budget -= 1
        entry = pop(heap)
        state = entry & states
        cost = entry >> shift & costs
        if cost > best[state]:
            continue
        cell = state >> 2
        here = flags[cell]
        if here & _E:
            path = []
            while state != -1:
                path.append(state >> 2)
                state = came[state]
            return path[::-1]
        j, i = divmod(cell, nx)
        if came[state] == -1:
            ways = moves
        elif here:
            ways = onward[state & 3]  # no turn on a line
        else:
            ways = turning[state & 3]
        for turn, offset, mask, di, dj, step in ways:
            near = cell + offset
            flag = flags[near]
            if flag:
                if flag & _B:
                    continue
                if flag & _E:
                    if flag & lines:
                        continue
                    step += arrive[near]
                elif flag & mask:
                    continue
                else:
                    step += cross
            new = cost + step
            after = near * 4 + turn
            if new < get(after, never):
                best[after] = new
                came[after] = state
                push(heap, (new + across[i + di] + down[j + dj]) << wide | new << shift | after)
    return []


def _halves(cost: float) -> int:
    """``cost`` in half steps: every cost of the search is a whole number of them."""
    halves = round(cost * 2)
    if halves != cost * 2:
        raise ValueError(f"a cost of the router is a whole number of half steps, not {cost!r}")
    return halves


def _spans(low: int, high: int, count: int) -> list[int]:
    """For each of ``count`` columns (or rows), how many steps it is from columns ``low`` to ``high``."""
    if 0 <= low <= high < count:
        return [*range(low, 0, -1), *itertools.repeat(0, high - low + 1), *range(1, count - high)]
    return [low - k if k < low else k - high if k > high else 0 for k in range(count)]


def _line(grid: _Grid, a: int, b: int, first_across: bool, ends: _Ends) -> list[int]:
    """The cells from ``a`` to ``b`` along one axis then the other, when they keep the search's rules.

    Horizontally first unless ``first_across``; empty when the line would break a rule.
    """
    nx, flags, blocked = grid.nx, grid.flags, grid.blocked
    (ja, ia), (jb, ib) = divmod(a, nx), divmod(b, nx)
    corner = ja * nx + ib if not first_across else jb * nx + ia
    path = [a]
    cell = a
    for end in (corner, b):
        if cell == end:
            continue
        (j0, i0), (j1, i1) = divmod(cell, nx), divmod(end, nx)
        step = (1 if i1 > i0 else -1) if i1 != i0 else (nx if j1 > j0 else -nx)
        mask = (_H if abs(step) == 1 else _V) | _X
        if len(path) > 1 and flags[cell]:
            return []  # a turn on a line
        while cell != end:
            cell += step
            if cell == b and b in ends:
                if flags[cell]:
                    return []
            elif blocked[cell] or flags[cell] & mask:
                return []
            path.append(cell)
    return path if len(path) > 1 else []


def _simple(grid: _Grid, sources: _Ends, targets: _Ends) -> list[int]:
    """A line with at most one turn between the nearest ends, when one keeps the rules (empty: none)."""
    nx = grid.nx

    def near(ends: _Ends, other: _Ends) -> list[int]:
        j, i = divmod(next(iter(other)), nx)
        keyed = [(abs(c % nx - i) + abs(c // nx - j) + end[1], c) for c, end in ends.items()]
        return [c for _, c in heapq.nsmallest(_NEAREST, keyed)]

    pairs = []
    heads = near(targets, sources)
    for a in near(sources, targets):
        ja, ia = divmod(a, nx)
        start = sources[a]
        for b in heads:
            end = targets[b]
            jb, ib = divmod(b, nx)
            pairs.append((abs(ia - ib) + abs(ja - jb) + start[1] + end[1], a, b))
    pairs.sort()
    for _, a, b in pairs[:_TRIES]:
        for first_across in (False, True):
            path = _line(grid, a, b, first_across, targets)
            if path:
                return path
    return []


def _bends(path: list[int]) -> list[int]:
    """The cells of ``path`` where it starts, turns or ends."""
    out = [path[0]]
    for a, b, c in zip(path, path[1:], path[2:], strict=False):
        if b - a != c - b:
            out.append(b)
    if len(path) > 1:
        out.append(path[-1])
    return out


def _mark(grid: _Grid, path: list[int], corners: list[int]) -> None:
    for a, b in itertools.pairwise(path):
        axis = _H if abs(b - a) == 1 else _V
        grid.flags[a] |= axis
        grid.flags[b] |= axis
    for cell in corners:
        grid.flags[cell] |= _X


def route(group: Group) -> None:
    """Route the links of ``group`` whose relation is in :data:`ROUTED` (see the module documentation)."""
    links = group.links
    todo = [k for k, link in enumerate(links) if link.relation in ROUTED and not link.fixed and link.tail != link.head]
    if not todo:
        return
    grid = _Grid(group)
    where = {b.key: b for b in group.boxes}
    for k, link in enumerate(links):
        if k in todo or link.tail not in where or link.head not in where:
            continue
        a, b = where[link.tail], where[link.head]
        ends = (grid.number.get(link.tail, -3), grid.number.get(link.head, -3))
        grid.lay((a.x, a.y), (b.x, b.y), ends)

    def length(k: int) -> tuple[float, int]:
        a, b = where.get(links[k].tail), where.get(links[k].head)
        if a is None or b is None:
            return math.inf, k
        return abs(a.x - b.x) + abs(a.y - b.y), k

    for k in sorted(todo, key=length):
        link = links[k]
        tail, head = grid.number.get(link.tail), grid.number.get(link.head)
        if tail is None or head is None:
            continue
        sources, targets = grid.terminals(tail), grid.terminals(head)
        if not sources or not targets:
            continue
        i0, j0, i1, j1 = grid.extent[head]
        path = _simple(grid, sources, targets) or _search(grid, sources, targets, (i0 - 1, j0 - 1, i1 + 1, j1 + 1))
        if not path:
            continue
        corners = _bends(path)
        _mark(grid, path, corners)
        start, end = sources[path[0]], targets[path[-1]]
        for cell in (*start[2], *end[2]):
            grid.flags[cell] |= _X
        points = [start[3], *(grid.centre(c) for c in corners), end[3]]
        link.extra = ", ".join(filter(None, [link.extra, f'pos="{_spline(points)}"']))


def _spline(points: list[tuple[float, float]]) -> str:
    """A Graphviz edge ``pos``: the polyline through ``points`` as a B-spline, an arrowhead at the last point.

    The line stops an arrowhead's length short of the last point, where the arrowhead's tip is.
    """
    points = [p for k, p in enumerate(points) if not k or p != points[k - 1]]
    (ax, ay), (bx, by) = points[-2], points[-1]
    last = math.hypot(bx - ax, by - ay)
    if last > _ARROW + 1:
        points[-1] = (bx - (bx - ax) * _ARROW / last, by - (by - ay) * _ARROW / last)
    else:
        points.pop()
    controls = [points[0]]
    for p, q in itertools.pairwise(points):
        controls += [p, q, q]
    return " ".join([f"e,{_number(bx)},{_number(by)}", *(f"{_number(x)},{_number(y)}" for x, y in controls)])


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")
