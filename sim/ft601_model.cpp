// ft601_model: see ft601_model.h.
#include "ft601_model.h"

#include <algorithm>

namespace ft601 {

Model::Model(const Config &cfg, uint64_t seed) : cfg_(cfg), rng_(seed | 1)
{
	if (cfg_.packet < 4)
		cfg_.packet = 4;
	if (cfg_.buffers < 1)
		cfg_.buffers = 1;
	if (cfg_.txe_min_high < 1)
		cfg_.txe_min_high = 1;
	update_flags();
}

FpgaPins Model::sample(const Ports &p)
{
	FpgaPins f;

	f.data = *p.data_o;
	f.data_oe = *p.data_oe;
	f.be = *p.be_o;
	f.be_oe = *p.be_oe;
	f.oe_n = *p.oe_n;
	f.rd_n = *p.rd_n;
	f.wr_n = *p.wr_n;
	return f;
}

void Model::drive(const Ports &p)
{
	uint32_t data;
	uint8_t be;

	bus_data(sample(p), data, be);
	*p.data_i = data;
	*p.be_i = be;
	*p.rxf_n = rxf_n_;
	*p.txe_n = txe_n_;
}

uint64_t Model::rnd()
{
	rng_ ^= rng_ >> 12;
	rng_ ^= rng_ << 25;
	rng_ ^= rng_ >> 27;
	return rng_ * 0x2545F4914F6CDD1DULL;
}

void Model::submit_out(const uint8_t *buf, size_t len, Done done)
{
	out_.push_back(OutXfer{ std::vector<uint8_t>(buf, buf + len), 0, std::move(done) });
}

void Model::submit_in(uint8_t *buf, size_t cap, Done done)
{
	in_.push_back(InXfer{ buf, cap, 0, std::move(done) });
}

// One cycle of the USB side: at most one packet each way.
void Model::usb_step()
{
	if (chance(cfg_.usb_stall))
		return;
	if (!out_.empty() && rx_.size() < cfg_.buffers) {
		OutXfer &x = out_.front();
		size_t n = std::min<size_t>(cfg_.packet, x.data.size() - x.off);

		if (n)
			rx_.emplace_back(x.data.begin() + (long)x.off, x.data.begin() + (long)(x.off + n));
		x.off += n;
		st_.packets_in += n != 0;
		if (x.off == x.data.size()) {
			Done done = std::move(x.done);
			size_t len = x.data.size();

			out_.pop_front();
			done(len);
		}
	}
	if (!in_.empty() && !tx_done_.empty()) {
		InXfer &x = in_.front();
		std::vector<uint8_t> &pkt = tx_done_.front();

		if (x.len + pkt.size() <= x.cap) {
			std::copy(pkt.begin(), pkt.end(), x.buf + x.len);
			x.len += pkt.size();
			bool shrt = pkt.size() < cfg_.packet;
			tx_done_.pop_front();
			if (shrt || x.len + cfg_.packet > x.cap) {
				Done done = std::move(x.done);
				size_t len = x.len;

				in_.pop_front();
				done(len);
			}
		}
	}
}

void Model::bus_data(const FpgaPins &now, uint32_t &data, uint8_t &be)
{
	if (!now.oe_n) {
		data = (uint32_t)rnd();
		be = 0;
		if (!rx_.empty()) {
			const std::vector<uint8_t> &b = rx_.front();
			for (unsigned i = 0; i < 4 && rx_off_ + i < b.size(); i++) {
				data = (data & ~(0xffu << (8 * i))) | (uint32_t)b[rx_off_ + i] << (8 * i);
				be |= (uint8_t)(1u << i);
			}
		}
		return;
	}
	data = now.data_oe ? now.data : (uint32_t)rnd();
	be = now.be_oe ? now.be : (uint8_t)(rnd() & 15);
}

void Model::read_edge(const FpgaPins &p)
{
	if (!p.rd_n && (p.oe_n || prev_oe_n_))
		st_.rd_without_oe++;
	if (p.oe_n || p.rd_n || rxf_n_ || rx_.empty())
		return;
	st_.words_out++;
	rx_off_ += 4;
	if (rx_off_ >= rx_.front().size()) {
		rx_.pop_front();
		rx_off_ = 0;
		rx_gap_ = cfg_.rx_gap_max ? (unsigned)(rnd() % (cfg_.rx_gap_max + 1)) : 0;
	}
}

void Model::commit()
{
	st_.packets_out++;
	st_.short_packets_out += fill_.size() < cfg_.packet;
	tx_done_.push_back(std::move(fill_));
	fill_.clear();
}

void Model::write_edge(const FpgaPins &p)
{
	if (p.wr_n) {
		if (!fill_.empty() && ++idle_ >= cfg_.commit_idle && tx_done_.size() < cfg_.buffers)
			commit();
		return;
	}
	idle_ = 0;
	if (!p.be_oe)
		st_.write_without_be++;
	if (txe_n_) {
		st_.writes_ignored++;
		return;
	}
	st_.words_in++;
	for (unsigned i = 0; i < 4; i++)
		if (p.be & (1u << i))
			fill_.push_back((uint8_t)(p.data >> (8 * i)));
	if (fill_.size() >= cfg_.packet)
		commit();
}

void Model::update_flags()
{
	bool room = fill_.empty() ? tx_done_.size() < cfg_.buffers : fill_.size() < cfg_.packet;
	bool want_high = !room;

	if (throttle_left_) {
		throttle_left_--;
		want_high = true;
	} else if (chance(cfg_.throttle)) {
		throttle_left_ = 1 + (unsigned)(rnd() % 16);
		want_high = true;
	}
	if (txe_n_ && txe_high_ < cfg_.txe_min_high)
		want_high = true;
	txe_high_ = want_high ? (txe_n_ ? txe_high_ + 1 : 1) : 0;
	txe_n_ = want_high;

	if (rx_gap_) {
		rx_gap_--;
		rxf_n_ = true;
	} else {
		rxf_n_ = rx_.empty();
	}
}

void Model::edge(const FpgaPins &p)
{
	if (p.data_oe && (!p.oe_n || !prev_oe_n_))
		st_.contention++;
	read_edge(p);
	write_edge(p);
	usb_step();
	update_flags();
	prev_oe_n_ = p.oe_n;
}

} // namespace ft601
